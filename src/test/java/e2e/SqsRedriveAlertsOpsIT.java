package e2e;

import java.time.Duration;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SQS's own redrive: a consumer keeps taking a restock message and never finishes it, so after
 * STOCK_QUEUE_MAX_RECEIVE_COUNT receives SQS moves it to stock-dlq. What arrives there is the SNS
 * envelope, without any attribute of the app's; the alert route still finds the request in it,
 * fails it and mails ops once, saying that SQS moved it. Once a factory consumer runs again, the
 * retry restocks.
 *
 * Every timeout and the redrive policy are the production defaults (as ./run.sh starts the app).
 * The consumer that never finishes is the test itself, handing each message straight back, while
 * the app takes nothing off stock-queue (FACTORY_ROUTE_ENABLED=false) until the retry.
 */
class SqsRedriveAlertsOpsIT extends PipelineTest {

    private static final String SKU = "E2E-REDRIVE";

    private final Books books = new Books();

    SqsRedriveAlertsOpsIT() {
        super(Timing.RUN_SH_DEFAULTS, Map.of("FACTORY_ROUTE_ENABLED", "false"));
    }

    @Test
    void aMessageSqsRedroveFailsItsRequestWithOneEmailAndTheRetryRestocks() throws Exception {
        sellTheOnlyOne(books, SKU, 6);
        String requestId = awaitPublished();

        broker().receiveWithoutDeleting(app.stockQueue(), 5);

        await("the request FAILED").atMost(Duration.ofSeconds(60))
                .until(() -> app.admin("/api/restock-requests?status=FAILED").body().size() == 1);
        assertThat(app.admin("/api/restock-requests").body().get(0).get("lastError").asText())
                .contains("SQS moved its message to stock-dlq under the queue's redrive policy");
        MimeMessage email = mail.awaitMessages(1, Duration.ofSeconds(60)).get(0);
        assertThat(email.getSubject()).contains(SKU).contains(requestId);
        assertThat(MailServer.text(email))
                .contains("Product:     " + SKU)
                .contains("Quantity:    6")
                .contains("Request id:  " + requestId)
                .contains("redrive policy after")
                .contains("Search the app's log for the request id")
                .contains("/api/restock-requests/" + requestId + "/retry");
        assertThat(app.businessMetrics()).containsEntry("donut_dead_letters_total{reason=\"sqs_redrive\"}", 1.0);

        app.restartWith(Map.of("FACTORY_ROUTE_ENABLED", "true"));
        assertThat(app.post("/api/restock-requests/" + requestId + "/retry", null, AppProcess.ADMIN_TOKEN).status()).isEqualTo(202);

        Books.Totals totals = books.assertBalanced(database, mail, () -> app.get("/simulator/api/manufactures").body(), Duration.ofMinutes(1));
        assertThat(totals.fulfilled()).isEqualTo(1);
        assertThat(totals.emails()).isEqualTo(1);
        System.out.printf("sqs redrive: moved to the DLQ after 5 receives, FAILED with one email, fulfilled after the retry; %s%n", totals);
    }
}
