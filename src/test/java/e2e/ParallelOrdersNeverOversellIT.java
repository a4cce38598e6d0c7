package e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A flash crowd: 200 customers press buy at once for the last 50 donuts. */
class ParallelOrdersNeverOversellIT extends PipelineTest {

    ParallelOrdersNeverOversellIT() {
        // No restock may arrive mid-crowd: exactly the 50 in stock are for sale.
        super(Map.of("FACTORY_ROUTE_ENABLED", "false"));
    }

    @Test
    void twoHundredParallelOrdersAgainstFiftyDonutsSellExactlyFifty() throws Exception {
        assertThat(app.putProduct("E2E-CROWD", 50, 10).status()).isEqualTo(201);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService customers = Executors.newFixedThreadPool(64);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            statuses.add(customers.submit(() -> {
                go.await();
                return app.order("E2E-CROWD", 1).status();
            }));
        }
        go.countDown();
        List<Integer> answered = new ArrayList<>();
        for (Future<Integer> status : statuses) {
            answered.add(status.get());
        }
        customers.shutdown();

        Map<Integer, Long> byStatus = answered.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(byStatus).containsOnly(Map.entry(201, 50L), Map.entry(409, 150L));
        assertThat(database.stockOf("E2E-CROWD")).isZero();
        assertThat(database.jdbc().queryForObject("SELECT COUNT(*) FROM orders WHERE sku = 'E2E-CROWD'", Integer.class))
                .isEqualTo(50);
        assertThat(database.jdbc().queryForObject(
                "SELECT SUM(delta) FROM stock_movements WHERE sku = 'E2E-CROWD' AND reason = 'SALE'", Integer.class))
                .isEqualTo(-50);
        assertThat(database.jdbc().queryForObject("SELECT COUNT(*) FROM restock_requests WHERE sku = 'E2E-CROWD'", Integer.class))
                .isEqualTo(1);
    }
}
