package e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ops move a dead letter back to the stock queue with the SQS console's "Start DLQ redrive"
 * before its alert went out (the mail server is down). The request it names is FAILED; the
 * moved-back letter sends it again, once however many copies arrive, as the retry endpoint does,
 * and the factory, working again, restocks it. A failure retried before anyone could read about
 * it is not mailed.
 *
 * The factory runs in a process of its own so that it can be mended in between. The retry
 * schedule runs at test speed: how soon the factory is given up on is not what this test is about.
 */
class DlqRedriveSendsTheRequestAgainIT extends PipelineTest {

    private static final String SKU = "E2E-MOVED-BACK";
    private static final AppProcess FACTORY = AppProcess.standaloneFactory().with("SIMULATOR_FAILURE_RATE", "1");

    private final Books books = new Books();

    DlqRedriveSendsTheRequestAgainIT() {
        super(FACTORY.start().asFactoryOf(Map.of()));
    }

    @AfterAll
    static void stopFactory() {
        FACTORY.close();
    }

    @Test
    void aDeadLetterMovedBackBeforeItsAlertSendsTheFailedRequestAgainOnce() throws Exception {
        mail.stop();
        sellTheOnlyOne(books, SKU, 3);
        await("the request FAILED, its alert not mailed").atMost(Duration.ofSeconds(60))
                .until(() -> app.admin("/api/restock-requests?status=FAILED").body().size() == 1);
        String requestId = app.admin("/api/restock-requests").body().get(0).get("id").asText();

        FACTORY.restartWith(Map.of("SIMULATOR_FAILURE_RATE", "0"));
        List<Message> moved = broker().moveBack(app.stockDlq(), app.stockQueue(), Duration.ofSeconds(30));
        assertThat(moved).singleElement().satisfies(deadLetter -> assertThat(deadLetter.messageAttributes())
                .containsKeys("RequestId", "DeadLetterReason", "Retries", "LastError"));
        // The same letter once more, as a second move (or a duplicate) would bring it.
        broker().send(app.stockQueue(), moved.get(0).body(), moved.get(0).messageAttributes());
        mail.start();

        Books.Totals totals = books.assertBalanced(database, mail, () -> FACTORY.get("/simulator/api/manufactures").body(), Duration.ofMinutes(1));
        assertThat(totals.fulfilled()).isEqualTo(1);
        assertThat(totals.emails()).as("emails about a failure retried before it was mailed").isZero();
        assertThat(database.jdbc().queryForObject("SELECT retries FROM restock_requests WHERE id = ?", Integer.class, requestId))
                .as("times the request was sent again").isEqualTo(1);
        System.out.printf("DLQ redrive: %d dead letter moved back (and sent twice), the FAILED request sent again once and fulfilled; %s%n", moved.size(), totals);
    }
}
