package e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SNS and SQS hang for 20 s (the emulator frozen with SIGSTOP) while twenty donuts sell out:
 * customers get their answers as fast as before, and every stock-out is published, ordered
 * once and restocked within about a minute of the broker resuming.
 *
 * On the exact defaults ./run.sh runs with, timeouts included: an SQS long poll that the app
 * gave up on while the broker hung may be answered when it wakes, and a message such a poll
 * takes is lost to the app until its visibility timeout (STOCK_QUEUE_VISIBILITY_TIMEOUT_S) runs
 * out. That timeout, not a shortened one, is what bounds the delay here (LostReceiveIT loses a
 * receive on purpose).
 */
class BrokerPauseIT extends PipelineTest {

    private static final int PRODUCTS = 20;
    private static final int RESTOCK = 4;
    private static final Duration PAUSE = Duration.ofSeconds(20);
    /** About a minute after the broker is back: the visibility timeout (30 s), polls, the simulated delivery (3 s). */
    private static final Duration BOUND_AFTER_THAW = Duration.ofSeconds(60);

    private final Books books = new Books();

    BrokerPauseIT() {
        super(Emulator.dedicated(), Timing.RUN_SH_DEFAULTS, Map.of());
    }

    @Test
    void ordersKeepAnsweringWhileTheBrokerIsFrozenAndEveryStockOutIsRestockedAfter() throws Exception {
        for (int i = 0; i < PRODUCTS; i++) {
            assertThat(app.putProduct(sku(i), 2, RESTOCK).status()).isEqualTo(201);
            books.stocked(sku(i), 2);
        }
        books.stocked("CP-502101", database.stockOf("CP-502101"));
        List<Long> before = timedOrders("CP-502101", 5);

        assertThat(app.check("sns")).isEqualTo("UP");

        broker().freeze();
        long frozenAt = System.nanoTime();
        List<Long> during = new ArrayList<>();
        ExecutorService customers = Executors.newFixedThreadPool(8);
        List<Future<Long>> orders = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            String sku = sku(i);
            for (int n = 0; n < 3; n++) {
                orders.add(customers.submit(() -> timedOrder(sku)));
            }
        }
        for (Future<Long> order : orders) {
            during.add(order.get());
        }
        customers.shutdown();
        assertThat(database.jdbc().queryForObject("SELECT COUNT(*) FROM orders WHERE sku LIKE 'E2E-PAUSE-%'", Integer.class))
                .isEqualTo(PRODUCTS * 2);
        // The rest of the pause: every stock-out stays REQUESTED (stored, not lost) while SNS hangs.
        Duration left = PAUSE.minusNanos(System.nanoTime() - frozenAt);
        if (left.toMillis() > 0) {
            await("the rest of the pause").during(left).atMost(left.plusSeconds(5)).until(this::allWaitingForSns);
        }
        assertThat(allWaitingForSns()).isTrue();
        // A broker every replica shares shows in /observe/health, never in readiness (docs/operations.md, "Health").
        assertThat(app.get("/observe/health/ready").status()).as("readiness while SNS hangs").isEqualTo(200);
        await("the sns check, every HEALTH_CHECK_MS as in production, sees the hang").atMost(Duration.ofSeconds(15))
                .until(() -> app.check("sns").equals("DOWN"));
        assertThat(app.get("/observe/health/live").status()).as("liveness while SNS hangs").isEqualTo(200);

        broker().thaw();
        long thawedAt = System.nanoTime();
        Map<String, Long> fulfilledAfterMs = new ConcurrentHashMap<>();
        await("every stock-out restocked").atMost(BOUND_AFTER_THAW.plusSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            for (String id : database.jdbc().queryForList("SELECT id FROM restock_requests WHERE sku LIKE 'E2E-PAUSE-%'"
                    + " AND status = 'FULFILLED'", String.class)) {
                fulfilledAfterMs.putIfAbsent(id, (System.nanoTime() - thawedAt) / 1_000_000);
            }
            return fulfilledAfterMs.size() == PRODUCTS;
        });

        Books.Totals totals = books.assertBalanced(database, mail, () -> app.get("/simulator/api/manufactures").body(), Duration.ofMinutes(2));
        assertThat(totals.fulfilled()).as("stock-outs restocked after the pause").isEqualTo(PRODUCTS);
        List<Long> delays = fulfilledAfterMs.values().stream().sorted().toList();
        long slowest = during.stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf("broker pause: order latency before p50 %d ms max %d ms; during %d orders, p50 %d ms max %d ms;"
                        + " thaw to fulfilled: min %d ms, median %d ms, max %d ms; %s%n",
                median(before), before.stream().mapToLong(Long::longValue).max().orElseThrow(), during.size(), median(during), slowest,
                delays.get(0), median(delays), delays.get(delays.size() - 1), totals);
        // A sale never waits on SNS; one that did would take AWS_API_CALL_TIMEOUT_MS (10 s) here.
        assertThat(slowest).as("slowest order while the broker hung, ms").isLessThan(1500);
        assertThat(delays.get(delays.size() - 1)).as("slowest restock after the broker was back, ms")
                .isLessThanOrEqualTo(BOUND_AFTER_THAW.toMillis());
    }

    private boolean allWaitingForSns() {
        return database.jdbc().queryForObject(
                "SELECT COUNT(*) FROM restock_requests WHERE sku LIKE 'E2E-PAUSE-%' AND status = 'REQUESTED'", Integer.class) == PRODUCTS;
    }

    private List<Long> timedOrders(String sku, int count) {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            millis.add(timedOrder(sku));
        }
        return millis;
    }

    private long timedOrder(String sku) {
        long start = System.nanoTime();
        int status = app.order(sku, 1).status();
        assertThat(status).isIn(201, 409);
        if (status == 201) {
            books.sold(sku, 1);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long median(List<Long> millis) {
        return millis.stream().sorted().toList().get(millis.size() / 2);
    }

    private static String sku(int i) {
        return "E2E-PAUSE-" + i;
    }
}
