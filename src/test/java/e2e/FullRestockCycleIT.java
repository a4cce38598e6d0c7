package e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A donut sells out; the factory is asked, delivers, and customers can buy again. */
class FullRestockCycleIT extends PipelineTest {

    FullRestockCycleIT() {
        super(Map.of());
    }

    @Test
    void aSellOutIsRestockedByTheFactoryAndTheNextOrderSucceeds() {
        assertThat(app.putProduct("E2E-CYCLE", 1, 5).status()).isEqualTo(201);

        assertThat(app.order("E2E-CYCLE", 1).status()).isEqualTo(201);
        assertThat(app.order("E2E-CYCLE", 1).status()).isEqualTo(409);

        await("stock back").atMost(Duration.ofSeconds(30)).until(() -> database.stockOf("E2E-CYCLE") == 5);
        var request = app.admin("/api/restock-requests").body().get(0);
        assertThat(request.get("sku").asText()).isEqualTo("E2E-CYCLE");
        assertThat(request.get("status").asText()).isEqualTo("FULFILLED");
        assertThat(request.get("factoryJobId").asText()).isNotBlank();
        assertThat(request.get("attempts").asInt()).isEqualTo(1);
        AppProcess.Answer next = app.order("E2E-CYCLE", 1);
        assertThat(next.status()).isEqualTo(201);
        assertThat(next.body().get("remainingStock").asInt()).isEqualTo(4);
        assertThat(mail.received()).isEmpty();
    }

    /** Prints how long a stock-out takes to be restocked with an instant factory; docs/benchmark.md measures the same cycle. */
    @Test
    void twentyStockOutsAreEachRestocked() {
        assertThat(app.putProduct("E2E-TIMED", 5, 5).status()).isEqualTo(201);
        List<Long> millis = new ArrayList<>();
        for (int cycle = 0; cycle < 20; cycle++) {
            AppProcess.Answer sold = app.order("E2E-TIMED", 5);
            assertThat(sold.status()).isEqualTo(201);
            assertThat(sold.body().get("remainingStock").asInt()).isZero();
            long stockOut = System.nanoTime();
            await("restock " + cycle).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> app.get("/api/products/E2E-TIMED").body().get("stock").asInt() == 5);
            millis.add((System.nanoTime() - stockOut) / 1_000_000);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf("stock-out to stock back, SIMULATOR_DELAY_MS=0, 20 cycles: median %d ms, p95 %d ms, max %d ms%n",
                sorted.get(9) + (sorted.get(10) - sorted.get(9)) / 2, sorted.get(18), sorted.get(19));
        assertThat(database.jdbc().queryForObject(
                "SELECT COUNT(*) FROM restock_requests WHERE sku = 'E2E-TIMED' AND status = 'FULFILLED'", Integer.class)).isEqualTo(20);
    }
}
