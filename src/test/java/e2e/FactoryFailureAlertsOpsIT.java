package e2e;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The factory is down: ops get one email that says what to do, and a retry works once it is back. */
class FactoryFailureAlertsOpsIT extends PipelineTest {

    FactoryFailureAlertsOpsIT() {
        super(Map.of("SIMULATOR_FAILURE_RATE", "1", "METRICS_REFRESH_MS", "500"));
    }

    @Test
    void aFactoryThatAlwaysFailsEndsInOneEmailAndTheRetryAfterItRecoversRestocks() throws Exception {
        assertThat(app.putProduct("E2E-DOWN", 1, 7).status()).isEqualTo(201);
        assertThat(app.order("E2E-DOWN", 1).status()).isEqualTo(201);

        await("request FAILED").atMost(Duration.ofSeconds(30))
                .until(() -> app.admin("/api/restock-requests?status=FAILED").body().size() == 1);
        JsonNode failed = app.admin("/api/restock-requests?status=FAILED").body().get(0);
        String requestId = failed.get("id").asText();
        assertThat(failed.get("attempts").asInt()).isEqualTo(3);
        assertThat(failed.get("lastError").asText()).contains("503");

        MimeMessage email = mail.awaitMessages(1, Duration.ofSeconds(30)).get(0);
        await("no second email").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> mail.received().size() == 1);
        assertThat(email.getAllRecipients()[0].toString()).isEqualTo(MailServer.OPS);
        assertThat(email.getSubject()).contains("E2E-DOWN").contains(requestId);
        assertThat(MailServer.text(email))
                .contains("E2E-DOWN")
                .contains("Quantity:    7")
                .contains("Request id:  " + requestId)
                .contains("Attempts:    3")
                .contains("Last error:  ").contains("503")
                .contains(app.baseUrl() + "/api/restock-requests/" + requestId + "/retry");
        await("the meters of the failure").atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(app.businessMetrics())
                .containsEntry("donut_orders_total{result=\"sold\"}", 1.0)
                .containsEntry("donut_factory_call_seconds_count{outcome=\"failure\"}", 3.0)
                .containsEntry("donut_factory_call_seconds_count{outcome=\"success\"}", 0.0)
                .containsEntry("donut_dead_letters_total{reason=\"retries_exhausted\"}", 1.0)
                .containsEntry("donut_alert_emails_sent_total", 1.0)
                .containsEntry("donut_restock_requests{status=\"FAILED\"}", 1.0));

        app.restartWith(Map.of("SIMULATOR_FAILURE_RATE", "0"));
        AppProcess.Answer retried = app.post("/api/restock-requests/" + requestId + "/retry", null, AppProcess.ADMIN_TOKEN);

        assertThat(retried.status()).isEqualTo(202);
        await("FULFILLED after the retry").atMost(Duration.ofSeconds(30))
                .until(() -> app.admin("/api/restock-requests?status=FULFILLED").body().size() == 1);
        assertThat(database.stockOf("E2E-DOWN")).isEqualTo(7);
        await("the gauges, read from the database").atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(app.businessMetrics())
                .containsEntry("donut_factory_call_seconds_count{outcome=\"success\"}", 1.0)
                .containsEntry("donut_restock_requests{status=\"FAILED\"}", 0.0)
                .containsEntry("donut_restock_requests{status=\"FULFILLED\"}", 1.0));
        assertThat(mail.received()).hasSize(1);
    }
}
