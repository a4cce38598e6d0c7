package routes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SalesRouteTest extends RouteTestSupport {

    @Test
    void soldOrderAnswers201WithRemainingStockAndTakesTheStock() {
        product("GL-1", 5, 0);

        Answer answer = order("{\"sku\":\"GL-1\",\"quantity\":2}", null);

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().get("orderId").asText()).isNotBlank();
        assertThat(answer.body().get("sku").asText()).isEqualTo("GL-1");
        assertThat(answer.body().get("quantity").asInt()).isEqualTo(2);
        assertThat(answer.body().get("remainingStock").asInt()).isEqualTo(3);
        assertThat(stockOf("GL-1")).isEqualTo(3);
        assertThat(db().queryForObject("SELECT SUM(delta) FROM stock_movements WHERE sku = 'GL-1' AND reason = 'SALE'",
                Integer.class)).isEqualTo(-2);
    }

    @Test
    void soldOutAnswers409AndOpensExactlyOneRestockRequestHoweverManyOrdersFail() throws Exception {
        product("GL-2", 1, 0);
        MockEndpoint topic = getMockEndpoint("mock:stock-topic");

        assertThat(order("{\"sku\":\"GL-2\",\"quantity\":1}", null).status()).isEqualTo(201);
        for (int i = 0; i < 20; i++) {
            Answer refused = order("{\"sku\":\"GL-2\",\"quantity\":1}", null);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().get("error").asText()).isEqualTo("OUT_OF_STOCK");
            assertThat(refused.body().get("available").asInt()).isZero();
            assertThat(refused.body().get("restockRequested").asBoolean()).isTrue();
        }

        assertThat(stockOf("GL-2")).isZero();
        List<Map<String, Object>> requests = db().queryForList("SELECT sku, quantity FROM restock_requests WHERE sku = 'GL-2'");
        assertThat(requests).hasSize(1);
        assertThat(((Number) requests.get(0).get("quantity")).intValue()).isEqualTo(10);
        await().atMost(10, TimeUnit.SECONDS).until(() -> topic.getReceivedCounter() >= 1);
        assertThat(topic.getReceivedExchanges()).hasSize(1);
        assertThat(topic.getReceivedExchanges().get(0).getMessage().getHeader("ProductId")).isEqualTo("GL-2");
    }

    @Test
    void aSaleThatReachesTheReorderPointOpensTheRestockRequestBeforeAnyoneIsTurnedAway() {
        product("GL-3", 6, 4);

        assertThat(order("{\"sku\":\"GL-3\",\"quantity\":1}", null).status()).isEqualTo(201);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM restock_requests WHERE sku = 'GL-3'", Integer.class)).isZero();

        Answer sold = order("{\"sku\":\"GL-3\",\"quantity\":1}", null);

        assertThat(sold.status()).isEqualTo(201);
        assertThat(sold.body().get("remainingStock").asInt()).isEqualTo(4);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM restock_requests WHERE sku = 'GL-3'", Integer.class)).isEqualTo(1);
    }

    @Test
    void unknownSkuAnswers404AndChangesNothing() {
        Answer answer = order("{\"sku\":\"NO-SUCH\",\"quantity\":1}", null);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body().get("error").asText()).isEqualTo("UNKNOWN_SKU");
        assertThat(db().queryForObject("SELECT COUNT(*) FROM orders", Integer.class)).isZero();
        assertThat(db().queryForObject("SELECT COUNT(*) FROM restock_requests", Integer.class)).isZero();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"sku\":\"CP-502101\",\"quantity\":1                   | INVALID_JSON",
            "[1,2]                                                  | INVALID_JSON",
            "{\"quantity\":1}                                       | MISSING_FIELD",
            "{\"sku\":\"CP-502101\"}                                | MISSING_FIELD",
            "{\"sku\":\"CP-502101\",\"quantity\":0}                 | INVALID_QUANTITY",
            "{\"sku\":\"CP-502101\",\"quantity\":-3}                | INVALID_QUANTITY",
            "{\"sku\":\"CP-502101\",\"quantity\":1.5}               | INVALID_QUANTITY",
            "{\"sku\":\"CP-502101\",\"quantity\":\"2\"}             | INVALID_QUANTITY",
            "{\"sku\":\"CP-502101\",\"quantity\":99999999999999999} | INVALID_QUANTITY",
            "{\"sku\":\"CP-502101\",\"quantity\":1001}              | INVALID_QUANTITY",
            "{\"sku\":\"x' OR '1'='1\",\"quantity\":1}              | INVALID_SKU",
            "{\"sku\":42,\"quantity\":1}                            | INVALID_SKU",
            "{\"sku\":\"CP-502101\",\"sku\":\"X\",\"quantity\":1}   | INVALID_JSON",
    })
    void invalidBodyAnswers400NamingTheProblemAndChangesNothing(String body, String code) {
        int before = stockOf("CP-502101");

        Answer answer = order(body, null);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("error").asText()).isEqualTo(code);
        assertThat(answer.body().get("message").asText()).isNotBlank();
        assertThat(stockOf("CP-502101")).isEqualTo(before);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM orders", Integer.class)).isZero();
    }

    @Test
    void wrongContentTypeAnswers415() {
        Answer answer = post("/api/orders", "sku=CP-502101&quantity=1", Map.of("Content-Type", "text/plain"));

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.body().get("error").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void aRetriedOrderWithTheSameIdempotencyKeySellsOnceAndAnswersTheSameOrder() {
        int before = stockOf("CP-502101");

        Answer first = order("{\"sku\":\"CP-502101\",\"quantity\":2}", "order-42");
        Answer retry = order("{\"sku\":\"CP-502101\",\"quantity\":2}", "order-42");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(stockOf("CP-502101")).isEqualTo(before - 2);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM orders", Integer.class)).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyReusedForADifferentOrderIsRefused() {
        order("{\"sku\":\"CP-502101\",\"quantity\":1}", "order-43");

        Answer reused = order("{\"sku\":\"CP-502101\",\"quantity\":3}", "order-43");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.body().get("error").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void checkoutBuysOneOfTheDefaultProduct() {
        int before = stockOf("CP-502101");

        Answer answer = post("/checkout", null, Map.of());

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().get("sku").asText()).isEqualTo("CP-502101");
        assertThat(answer.body().get("quantity").asInt()).isEqualTo(1);
        assertThat(stockOf("CP-502101")).isEqualTo(before - 1);
    }

    @Test
    void databaseUnavailableAnswers503AndTheSaleIsRolledBack() throws Exception {
        product("GL-4", 5, 0);
        advise("sell", route -> route
                .weaveByToUri("sql:classpath:sql/orders/insert.sql*")
                .replace().throwException(new CannotGetJdbcConnectionException("connection refused")));

        Answer answer = order("{\"sku\":\"GL-4\",\"quantity\":1}", null);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body().get("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(stockOf("GL-4")).isEqualTo(5);
    }

    @Test
    void aBatchTheDatabaseRollsBackAsADeadlockVictimIsSoldAgainOnce() throws Exception {
        product("GL-5", 5, 0);
        AtomicInteger attempts = deadlockAfterTheSaleIsRecorded(attempt -> attempt == 1);

        Answer answer = order("{\"sku\":\"GL-5\",\"quantity\":2}", null);

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().get("remainingStock").asInt()).isEqualTo(3);
        assertThat(attempts).hasValue(2);
        assertThat(stockOf("GL-5")).isEqualTo(3);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM orders WHERE sku = 'GL-5'", Integer.class)).isEqualTo(1);
        assertThat(db().queryForObject("SELECT SUM(delta) FROM stock_movements WHERE sku = 'GL-5' AND reason = 'SALE'",
                Integer.class)).isEqualTo(-2);
    }

    @Test
    void aBatchStillDeadlockedAfterItsRetriesAnswers503AndSellsNothing() throws Exception {
        product("GL-6", 5, 0);
        AtomicInteger attempts = deadlockAfterTheSaleIsRecorded(attempt -> true);

        Answer answer = order("{\"sku\":\"GL-6\",\"quantity\":1}", null);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body().get("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(answer.header("Retry-After")).isEqualTo("1");
        // The first attempt and DB_DEADLOCK_RETRIES (3) more.
        assertThat(attempts).hasValue(4);
        assertThat(stockOf("GL-6")).isEqualTo(5);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM orders WHERE sku = 'GL-6'", Integer.class)).isZero();
    }

    /**
     * The database picks the sell route's transaction as a deadlock's victim on the attempts the
     * predicate names (1, 2, ...), after the batch wrote its rows; returns the attempts made.
     */
    private AtomicInteger deadlockAfterTheSaleIsRecorded(IntPredicate deadlockedOn) throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        advise("sell", route -> route
                .weaveByToUri("sql:classpath:sql/orders/record-sale.sql*").after()
                .process(exchange -> {
                    if (deadlockedOn.test(attempts.incrementAndGet())) {
                        throw new CannotAcquireLockException("Deadlock found when trying to get lock; try restarting transaction");
                    }
                }));
        return attempts;
    }
}
