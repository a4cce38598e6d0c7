package e2e;

import java.time.Duration;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restock request whose message is lost every time (nothing is subscribed to the stock topic):
 * after it has been published again RESTOCK_REPUBLISH_ATTEMPTS times it is dead-lettered, FAILED,
 * and ops get one email saying no factory consumer took it and what to check.
 *
 * The deadline is shortened to the least the start checks allow, and one republish is allowed:
 * what this test proves is what follows the last one, not the deadline's length, which
 * LostRestockMessageIT proves on its production value. Everything else is as ./run.sh starts it.
 */
class RestockNobodyTakesIsDeadLetteredIT extends PipelineTest {

    private static final String SKU = "E2E-NOBODY";

    private final Books books = new Books();

    RestockNobodyTakesIsDeadLetteredIT() {
        super(Timing.RUN_SH_DEFAULTS, Map.of("RESTOCK_PUBLISH_DEADLINE_S", "36", "RESTOCK_REPUBLISH_ATTEMPTS", "1"));
    }

    @Test
    void aRequestNobodyEverTakesEndsFailedWithOneEmail() throws Exception {
        broker().unsubscribeAll(app.stockTopic());
        sellTheOnlyOne(books, SKU, 4);

        Books.Totals totals = books.assertBalanced(database, mail, () -> app.get("/simulator/api/manufactures").body(), Duration.ofMinutes(3));
        assertThat(totals.failed()).isEqualTo(1);
        MimeMessage email = mail.received().get(0);
        assertThat(MailServer.text(email)).contains("Published 2 times").contains("no factory consumer took it")
                .contains("subscribed to the stock topic");
        assertThat(app.businessMetrics()).containsEntry("donut_restock_republished_total", 1.0)
                .containsEntry("donut_dead_letters_total{reason=\"not_picked_up\"}", 1.0);
        System.out.printf("never taken: published twice, then dead-lettered and mailed; %s%n", totals);
    }
}
