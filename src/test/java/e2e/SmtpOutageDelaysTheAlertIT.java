package e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The mail server is down while dead letters arrive: ops get each email, once, when it is back. */
class SmtpOutageDelaysTheAlertIT extends PipelineTest {

    SmtpOutageDelaysTheAlertIT() {
        super(Map.of("SIMULATOR_FAILURE_RATE", "1"));
    }

    @Test
    void everyAlertForDeadLettersThatArriveWhileSmtpIsDownIsSentOnceItIsBack() throws Exception {
        Books books = new Books();
        mail.stop();
        List<String> skus = List.of("E2E-NOMAIL-1", "E2E-NOMAIL-2", "E2E-NOMAIL-3", "E2E-NOMAIL-4", "E2E-NOMAIL-5");
        for (String sku : skus) {
            assertThat(app.putProduct(sku, 1, 4).status()).isEqualTo(201);
            books.stocked(sku, 1);
            assertThat(app.order(sku, 1).status()).isEqualTo(201);
            books.sold(sku, 1);
        }

        // The alert route marks each request FAILED just before it tries to mail, against a closed port.
        await("requests FAILED").atMost(Duration.ofSeconds(60))
                .until(() -> app.admin("/api/restock-requests?status=FAILED").body().size() == skus.size());
        assertThat(mail.received()).isEmpty();

        mail.start();

        List<MimeMessage> emails = mail.awaitMessages(skus.size(), Duration.ofSeconds(60));
        await("no extra email").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> mail.received().size() == skus.size());
        List<String> subjects = new ArrayList<>();
        for (MimeMessage email : emails) {
            subjects.add(email.getSubject());
        }
        for (String sku : skus) {
            assertThat(subjects).as("one email about " + sku).filteredOn(subject -> subject.contains(sku + " ")).hasSize(1);
        }
        Books.Totals totals = books.assertBalanced(database, mail, () -> app.get("/simulator/api/manufactures").body(), Duration.ofSeconds(10));
        assertThat(totals.failed()).isEqualTo(skus.size());
    }
}
