package e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SNS hangs while a donut sells out: customers still get answers, and the request goes out later. */
class RestockSurvivesBrokerOutageIT extends PipelineTest {

    RestockSurvivesBrokerOutageIT() {
        // The factory route would take the message; this test reads stock-queue itself.
        super(Emulator.dedicated(), Map.of("AWS_API_CALL_TIMEOUT_MS", "1500", "FACTORY_ROUTE_ENABLED", "false"));
    }

    @Test
    void aStockOutDuringABrokerOutageIsPublishedOnceTheBrokerIsBack() {
        assertThat(app.putProduct("E2E-OUTAGE", 1, 6).status()).isEqualTo(201);
        broker().freeze();

        assertThat(app.order("E2E-OUTAGE", 1).status()).isEqualTo(201);
        assertThat(app.order("E2E-OUTAGE", 1).status()).isEqualTo(409);
        String requestId = database.jdbc().queryForObject("SELECT id FROM restock_requests WHERE sku = 'E2E-OUTAGE'", String.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> database.jdbc().queryForObject(
                "SELECT publish_attempts FROM restock_requests WHERE id = ?", Integer.class, requestId) >= 2);
        assertThat(status(requestId)).isEqualTo("REQUESTED");
        assertThat(app.order("CP-502101", 1).status()).isEqualTo(201);

        broker().thaw();

        await().atMost(Duration.ofSeconds(30)).until(() -> "PUBLISHED".equals(status(requestId)));
        List<Notification> messages = broker().drain(app.stockQueue(), Duration.ofSeconds(4)).stream().map(Notification::of).toList();
        // At least once: a publish that timed out while the broker hung may still land after it resumes,
        // which is why every copy carries the request's own id for the factory step to de-duplicate.
        assertThat(messages).isNotEmpty().allSatisfy(message -> {
            assertThat(message.attributes()).containsEntry("RequestId", requestId).containsEntry("ProductId", "E2E-OUTAGE");
            assertThat(message.message().get("quantity").asInt()).isEqualTo(6);
        });
    }

    private String status(String requestId) {
        return database.jdbc().queryForObject("SELECT status FROM restock_requests WHERE id = ?", String.class, requestId);
    }
}
