package routes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile client tries beyond the bad-requests corpus. Each is refused or ignored,
 * changes nothing it should not, and the app logs nothing about it above INFO.
 */
class HostileInputTest {

    private static final String ORDER = "{\"sku\":\"CP-502101\",\"quantity\":1}";

    @Nested
    class Requests extends RouteTestSupport {

        @Test
        void fiftyConcurrentOrdersWithOneIdempotencyKeySellOnceAndLogNothingAboveInfo() throws Exception {
            int before = stockOf("CP-502101");
            ExecutorService customers = Executors.newFixedThreadPool(50);
            try (AppLog log = AppLog.capture()) {
                List<Future<Answer>> answers = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    answers.add(customers.submit(() -> order(ORDER, "one-key-for-fifty")));
                }
                Set<String> orderIds = new HashSet<>();
                for (Future<Answer> answer : answers) {
                    assertThat(answer.get().status()).isEqualTo(201);
                    orderIds.add(answer.get().body().get("orderId").asText());
                }

                assertThat(orderIds).hasSize(1);
                log.assertQuietFor(0);
            } finally {
                customers.shutdownNow();
            }
            assertThat(stockOf("CP-502101")).isEqualTo(before - 1);
        }
    }
}
