package e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fifty donuts sell out at once while the factory is slow (2 s), fails half its orders and
 * calls back twice half the time. Every request ends FULFILLED, or FAILED with exactly one
 * email; no request is ordered twice; the stock adds up.
 */
class FactoryChaosIT extends PipelineTest {

    private static final int PRODUCTS = 50;
    private static final int RESTOCK = 3;

    FactoryChaosIT() {
        super(Map.of(
                "SIMULATOR_FAILURE_RATE", "0.5",
                "SIMULATOR_LATENCY_MS", "2000",
                "SIMULATOR_DUPLICATE_RATE", "0.5",
                "FACTORY_TIMEOUT_MS", "5000",
                "FACTORY_CONSUMERS", "16"));
    }

    @Test
    void everyStockOutEndsFulfilledOrMailedAndTheBooksBalance() throws Exception {
        for (int i = 0; i < PRODUCTS; i++) {
            assertThat(app.putProduct(sku(i), 1, RESTOCK).status()).isEqualTo(201);
        }
        ExecutorService customers = Executors.newFixedThreadPool(PRODUCTS);
        List<Future<AppProcess.Answer>> orders = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            String sku = sku(i);
            orders.add(customers.submit(() -> app.order(sku, 1)));
        }
        for (Future<AppProcess.Answer> order : orders) {
            assertThat(order.get().status()).isEqualTo(201);
        }
        customers.shutdown();

        await("every request FULFILLED or FAILED").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> database.jdbc().queryForObject(
                        "SELECT COUNT(*) FROM restock_requests WHERE status NOT IN ('FULFILLED', 'FAILED')", Integer.class) == 0);
        List<String> failed = database.jdbc().queryForList("SELECT id FROM restock_requests WHERE status = 'FAILED'", String.class);
        List<MimeMessage> emails = mail.awaitMessages(failed.size(), Duration.ofSeconds(60));
        await("no extra email").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> mail.received().size() == failed.size());

        Set<String> mailed = new HashSet<>();
        for (MimeMessage email : emails) {
            failed.stream().filter(id -> subject(email).contains(id)).forEach(mailed::add);
        }
        assertThat(mailed).as("one email per FAILED request").containsExactlyInAnyOrderElementsOf(failed);
        assertThat(database.jdbc().queryForObject("SELECT COUNT(*) FROM restock_requests", Integer.class)).isEqualTo(PRODUCTS);

        JsonNode ordersTaken = app.get("/simulator/api/manufactures").body();
        assertThat(ordersTaken.size()).as("requests the factory took an order for").isEqualTo(PRODUCTS - failed.size());
        ordersTaken.fields().forEachRemaining(order ->
                assertThat(order.getValue().asInt()).as("factory orders for request " + order.getKey()).isEqualTo(1));

        for (int i = 0; i < PRODUCTS; i++) {
            String sku = sku(i);
            String status = database.jdbc().queryForObject("SELECT status FROM restock_requests WHERE sku = ?", String.class, sku);
            int restocked = database.jdbc().queryForObject(
                    "SELECT COALESCE(SUM(delta), 0) FROM stock_movements WHERE sku = ? AND reason = 'RESTOCK'", Integer.class, sku);
            assertThat(restocked).as(sku + " restocked").isEqualTo("FULFILLED".equals(status) ? RESTOCK : 0);
            assertThat(database.stockOf(sku)).as(sku + " stock = 1 - 1 sold + restocked").isEqualTo(restocked);
        }
        System.out.printf("factory chaos: %d stock-outs, %d fulfilled, %d failed with %d emails, %d factory orders%n",
                PRODUCTS, PRODUCTS - failed.size(), failed.size(), emails.size(), ordersTaken.size());
    }

    private static String sku(int i) {
        return "E2E-CHAOS-" + i;
    }

    private static String subject(MimeMessage email) {
        try {
            return email.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
