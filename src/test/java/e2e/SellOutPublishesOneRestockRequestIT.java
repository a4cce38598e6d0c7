package e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A product sells out and fifty more customers are turned away: the factory is asked once. */
class SellOutPublishesOneRestockRequestIT extends PipelineTest {

    SellOutPublishesOneRestockRequestIT() {
        // The factory route would take the message; this test reads stock-queue itself.
        super(Map.of("FACTORY_ROUTE_ENABLED", "false"));
    }

    @Test
    void fiftyFailedOrdersAfterASellOutPutExactlyOneMessageOnTheStockQueue() {
        assertThat(app.putProduct("E2E-SELLOUT", 3, 12).status()).isEqualTo(201);
        for (int remaining = 2; remaining >= 0; remaining--) {
            AppProcess.Answer sold = app.order("E2E-SELLOUT", 1);
            assertThat(sold.status()).isEqualTo(201);
            assertThat(sold.body().get("remainingStock").asInt()).isEqualTo(remaining);
        }
        for (int i = 0; i < 50; i++) {
            AppProcess.Answer refused = app.order("E2E-SELLOUT", 1);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().get("error").asText()).isEqualTo("OUT_OF_STOCK");
            assertThat(refused.body().get("restockRequested").asBoolean()).isTrue();
        }
        String requestId = database.jdbc().queryForObject(
                "SELECT id FROM restock_requests WHERE sku = 'E2E-SELLOUT'", String.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> "PUBLISHED".equals(database.jdbc().queryForObject(
                "SELECT status FROM restock_requests WHERE id = ?", String.class, requestId)));

        // Keep listening after the first arrival: a second message would be a duplicate order.
        List<Notification> messages = Emulator.shared().drain(app.stockQueue(), Duration.ofSeconds(4))
                .stream().map(Notification::of).toList();

        assertThat(messages).hasSize(1);
        Notification notification = messages.get(0);
        assertThat(notification.attributes())
                .containsEntry("ProductId", "E2E-SELLOUT")
                .containsEntry("FactoryId", "factory_01")
                .containsEntry("RequestId", requestId);
        assertThat(notification.message().get("requestId").asText()).isEqualTo(requestId);
        assertThat(notification.message().get("quantity").asInt()).isEqualTo(12);
        assertThat(database.stockOf("E2E-SELLOUT")).isZero();
    }
}
