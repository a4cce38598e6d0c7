package routes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Orders that arrive while their lane's previous batch is in the database are sold together in
 * one transaction, whatever their products, and each gets exactly the answer it would have got
 * had they been sold one after another in arrival order. The first order's batch is held at a
 * gate so that the next ones queue behind it in a known order; then the gate opens.
 */
class SalesBatchesTest extends RouteTestSupport {

    /** One lane, so that every order queues behind the held batch whatever its SKU; how many lanes run side by side is not what these tests are about. */
    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("sales.batch-lanes", "1");
    }

    private final CountDownLatch gate = new CountDownLatch(1);
    private ExecutorService customers;

    @BeforeEach
    void holdTheFirstBatchAtTheGate() throws Exception {
        customers = Executors.newCachedThreadPool();
        advise("sell", route -> route.weaveAddFirst()
                .process(exchange -> assertThat(gate.await(30, TimeUnit.SECONDS)).isTrue()));
    }

    @AfterEach
    void stopCustomers() {
        gate.countDown();
        customers.shutdownNow();
    }

    @Test
    void aBatchThatRunsOutMidwayServesItsOrdersInArrivalOrderWithExactAnswers() throws Exception {
        product("GL-B1", 5, 0);
        long batchesBefore = metric("donut_order_batches_total");

        List<Future<Answer>> answers = new ArrayList<>();
        answers.add(orderInTurn("{\"sku\":\"GL-B1\",\"quantity\":1}", null, 0)); // leads, held at the gate
        answers.add(orderInTurn("{\"sku\":\"GL-B1\",\"quantity\":2}", null, 1));
        answers.add(orderInTurn("{\"sku\":\"GL-B1\",\"quantity\":3}", null, 2)); // does not fit: 2 left by then
        answers.add(orderInTurn("{\"sku\":\"GL-B1\",\"quantity\":1}", null, 3));
        answers.add(orderInTurn("{\"sku\":\"GL-B1\",\"quantity\":1}", null, 4));
        openTheGateOnceQueued(4);

        assertSold(answers.get(0).get(), 1, 4);
        assertSold(answers.get(1).get(), 2, 2);
        Answer refused = answers.get(2).get();
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("error").asText()).isEqualTo("OUT_OF_STOCK");
        assertThat(refused.body().get("available").asInt()).isEqualTo(2);
        assertThat(refused.body().get("restockRequested").asBoolean()).isTrue();
        assertSold(answers.get(3).get(), 1, 1);
        assertSold(answers.get(4).get(), 1, 0);

        assertThat(stockOf("GL-B1")).isZero();
        assertThat(db().queryForObject("SELECT COUNT(*) FROM orders WHERE sku = 'GL-B1'", Integer.class)).isEqualTo(4);
        assertThat(db().queryForList("SELECT remaining_stock FROM orders WHERE sku = 'GL-B1' ORDER BY remaining_stock DESC",
                Integer.class)).containsExactly(4, 2, 1, 0);
        assertThat(db().queryForObject("SELECT SUM(delta) FROM stock_movements WHERE sku = 'GL-B1' AND reason = 'SALE'",
                Integer.class)).isEqualTo(-5);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM restock_requests WHERE sku = 'GL-B1'", Integer.class)).isEqualTo(1);
        // The first order alone, then the four that queued behind it together.
        assertThat(metric("donut_order_batches_total") - batchesBefore).isEqualTo(2);
    }

    @Test
    void aBatchThatFitsIsSoldAsAWholeAndEachOrderSeesTheStockAfterItself() throws Exception {
        product("GL-B2", 10, 6);

        List<Future<Answer>> answers = new ArrayList<>();
        answers.add(orderInTurn("{\"sku\":\"GL-B2\",\"quantity\":1}", null, 0));
        answers.add(orderInTurn("{\"sku\":\"GL-B2\",\"quantity\":1}", null, 1));
        answers.add(orderInTurn("{\"sku\":\"GL-B2\",\"quantity\":2}", null, 2));
        answers.add(orderInTurn("{\"sku\":\"GL-B2\",\"quantity\":1}", null, 3));
        assertThat(db().queryForObject("SELECT COUNT(*) FROM restock_requests WHERE sku = 'GL-B2'", Integer.class)).isZero();
        openTheGateOnceQueued(3);

        assertSold(answers.get(0).get(), 1, 9);
        assertSold(answers.get(1).get(), 1, 8);
        assertSold(answers.get(2).get(), 2, 6);
        assertSold(answers.get(3).get(), 1, 5);
        assertThat(stockOf("GL-B2")).isEqualTo(5);
        // The batch passed the reorder point (6): one restock request, opened before anyone was turned away.
        assertThat(db().queryForObject("SELECT COUNT(*) FROM restock_requests WHERE sku = 'GL-B2'", Integer.class)).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeySentTwiceInOneBatchSellsOnceAndAnswersTheSameOrder() throws Exception {
        product("GL-B3", 10, 0);

        List<Future<Answer>> answers = new ArrayList<>();
        answers.add(orderInTurn("{\"sku\":\"GL-B3\",\"quantity\":1}", null, 0));
        answers.add(orderInTurn("{\"sku\":\"GL-B3\",\"quantity\":2}", "batch-key-1", 1));
        answers.add(orderInTurn("{\"sku\":\"GL-B3\",\"quantity\":2}", "batch-key-1", 2)); // the same order sent again
        answers.add(orderInTurn("{\"sku\":\"GL-B3\",\"quantity\":3}", "batch-key-1", 3)); // the key reused for another order
        answers.add(orderInTurn("{\"sku\":\"GL-B3\",\"quantity\":1}", null, 4));
        openTheGateOnceQueued(4);

        assertSold(answers.get(0).get(), 1, 9);
        Answer first = answers.get(1).get();
        assertSold(first, 2, 7);
        Answer replay = answers.get(2).get();
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        Answer reused = answers.get(3).get();
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.body().get("error").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertSold(answers.get(4).get(), 1, 6);

        assertThat(stockOf("GL-B3")).isEqualTo(6);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM orders WHERE sku = 'GL-B3'", Integer.class)).isEqualTo(3);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM orders WHERE idempotency_key = 'batch-key-1'", Integer.class)).isEqualTo(1);
    }

    @Test
    void aBatchOfSeveralProductsSellsEachInArrivalOrderAndOpensEachOnesRestockRequest() throws Exception {
        product("GL-M1", 3, 0);
        product("GL-M2", 10, 8);
        long batchesBefore = metric("donut_order_batches_total");

        List<Future<Answer>> answers = new ArrayList<>();
        answers.add(orderInTurn("{\"sku\":\"GL-M2\",\"quantity\":1}", null, 0)); // leads, held at the gate
        answers.add(orderInTurn("{\"sku\":\"GL-M1\",\"quantity\":2}", null, 1));
        answers.add(orderInTurn("{\"sku\":\"NO-SUCH-M\",\"quantity\":1}", null, 2));
        answers.add(orderInTurn("{\"sku\":\"GL-M2\",\"quantity\":1}", null, 3)); // leaves GL-M2 at its reorder point
        answers.add(orderInTurn("{\"sku\":\"GL-M1\",\"quantity\":2}", null, 4)); // does not fit: 1 left by then
        answers.add(orderInTurn("{\"sku\":\"GL-M1\",\"quantity\":1}", null, 5));
        openTheGateOnceQueued(5);

        assertSold(answers.get(0).get(), 1, 9);
        assertSold(answers.get(1).get(), 2, 1);
        assertThat(answers.get(2).get().status()).isEqualTo(404);
        assertThat(answers.get(2).get().body().get("error").asText()).isEqualTo("UNKNOWN_SKU");
        assertSold(answers.get(3).get(), 1, 8);
        Answer refused = answers.get(4).get();
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("available").asInt()).isEqualTo(1);
        assertSold(answers.get(5).get(), 1, 0);

        assertThat(stockOf("GL-M1")).isZero();
        assertThat(stockOf("GL-M2")).isEqualTo(8);
        assertThat(db().queryForList("SELECT remaining_stock FROM orders WHERE sku = 'GL-M1' ORDER BY remaining_stock DESC",
                Integer.class)).containsExactly(1, 0);
        assertThat(db().queryForObject("SELECT SUM(delta) FROM stock_movements WHERE sku = 'GL-M2' AND reason = 'SALE'",
                Integer.class)).isEqualTo(-2);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM orders WHERE sku = 'NO-SUCH-M'", Integer.class)).isZero();
        assertThat(db().queryForList("SELECT sku FROM restock_requests WHERE sku LIKE 'GL-M%' ORDER BY sku", String.class))
                .containsExactly("GL-M1", "GL-M2");
        // The first order alone, then the five of three products that queued behind it together.
        assertThat(metric("donut_order_batches_total") - batchesBefore).isEqualTo(2);
    }

    @Test
    void aBatchFindsAnOpenRestockRequestAndOpensNoSecond() throws Exception {
        product("GL-M3", 1, 0);

        List<Future<Answer>> answers = new ArrayList<>();
        answers.add(orderInTurn("{\"sku\":\"GL-M3\",\"quantity\":2}", null, 0)); // refused alone: opens the request
        answers.add(orderInTurn("{\"sku\":\"GL-M3\",\"quantity\":1}", null, 1));
        answers.add(orderInTurn("{\"sku\":\"GL-M3\",\"quantity\":1}", null, 2));
        openTheGateOnceQueued(2);

        assertThat(answers.get(0).get().status()).isEqualTo(409);
        assertSold(answers.get(1).get(), 1, 0);
        assertThat(answers.get(2).get().status()).isEqualTo(409);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM restock_requests WHERE sku = 'GL-M3'", Integer.class)).isEqualTo(1);
    }

    @Test
    void anUnknownSkuInABatchAnswers404ToEachOrderAndChangesNothing() throws Exception {
        List<Future<Answer>> answers = new ArrayList<>();
        answers.add(orderInTurn("{\"sku\":\"NO-SUCH-B\",\"quantity\":1}", null, 0));
        answers.add(orderInTurn("{\"sku\":\"NO-SUCH-B\",\"quantity\":1}", null, 1));
        answers.add(orderInTurn("{\"sku\":\"NO-SUCH-B\",\"quantity\":2}", null, 2));
        openTheGateOnceQueued(2);

        for (Future<Answer> answer : answers) {
            assertThat(answer.get().status()).isEqualTo(404);
            assertThat(answer.get().body().get("error").asText()).isEqualTo("UNKNOWN_SKU");
        }
        assertThat(db().queryForObject("SELECT COUNT(*) FROM orders", Integer.class)).isZero();
        assertThat(db().queryForObject("SELECT COUNT(*) FROM restock_requests", Integer.class)).isZero();
    }

    private static void assertSold(Answer answer, int quantity, int remainingStock) {
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().get("quantity").asInt()).isEqualTo(quantity);
        assertThat(answer.body().get("remainingStock").asInt()).isEqualTo(remainingStock);
    }

    /**
     * Sends the order on a customer thread once the ones before it are in place: the first is
     * held at the gate, each later one is queued behind it before the next is sent.
     */
    private Future<Answer> orderInTurn(String body, String idempotencyKey, int queuedBefore) {
        if (queuedBefore > 0) {
            await().atMost(10, TimeUnit.SECONDS).until(() -> context.getInflightRepository().size("sell") == 1
                    && metric("donut_orders_waiting") == queuedBefore - 1);
        }
        return customers.submit(() -> order(body, idempotencyKey));
    }

    /** Opens the gate once every order but the held one is queued behind it. */
    private void openTheGateOnceQueued(int queued) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> metric("donut_orders_waiting") == queued);
        gate.countDown();
    }

    /** One sample of /observe/metrics, as Prometheus reads it. */
    private long metric(String name) {
        return metricsText().lines().filter(line -> line.startsWith(name + " "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(name + " is not on /observe/metrics"));
    }
}
