package e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
        Books books = new Books();
        for (int i = 0; i < PRODUCTS; i++) {
            assertThat(app.putProduct(sku(i), 1, RESTOCK).status()).isEqualTo(201);
            books.stocked(sku(i), 1);
        }
        ExecutorService customers = Executors.newFixedThreadPool(PRODUCTS);
        List<Future<AppProcess.Answer>> orders = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            String sku = sku(i);
            orders.add(customers.submit(() -> app.order(sku, 1)));
        }
        for (int i = 0; i < PRODUCTS; i++) {
            assertThat(orders.get(i).get().status()).isEqualTo(201);
            books.sold(sku(i), 1);
        }
        customers.shutdown();

        Books.Totals totals = books.assertBalanced(database, mail, () -> app.get("/simulator/api/manufactures").body(), Duration.ofMinutes(3));

        assertThat(totals.requests()).as("one restock request per stock-out").isEqualTo(PRODUCTS);
        assertThat(totals.factoryOrders()).as("requests the factory took an order for").isEqualTo(totals.fulfilled());
        System.out.printf("factory chaos: %d stock-outs, %s%n", PRODUCTS, totals);
    }

    private static String sku(int i) {
        return "E2E-CHAOS-" + i;
    }
}
