package routes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    // HTTP/1.1 as it stands: Java's client otherwise offers an upgrade to HTTP/2 on the first request.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static String donut(String name, String price) {
        return """
                {"name":%s,"price":%s,"stock":5,"factoryId":"factory_01","restockQuantity":10}""".formatted(name, price);
    }

    @Nested
    class Requests extends RouteTestSupport {

        @Test
        void internalHeadersSentInTheQueryOrAsHeadersAreIgnoredAndTheOrderIsSold() {
            int before = stockOf("CP-502101");

            try (AppLog log = AppLog.capture()) {
                assertThat(post("/api/orders?previousOrder=1&stockState=x", ORDER, Map.of()).status()).isEqualTo(201);
                assertThat(post("/api/orders", ORDER, Map.of("previousOrder", "1", "CamelSqlUpdateCount", "1")).status()).isEqualTo(201);
                assertThat(post("/checkout?previousOrder=1", null, Map.of()).status()).isEqualTo(201);
                log.assertQuietFor(0);
            }

            assertThat(stockOf("CP-502101")).isEqualTo(before - 3);
            assertThat(db().queryForObject("SELECT COUNT(*) FROM orders", Integer.class)).isEqualTo(3);
        }

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

        @Test
        void theAdminTokenCountsOnlyInTheAuthorizationHeaderAndOnlyOnce() throws Exception {
            String donut = donut("\"Glazed\"", "2.50");

            Answer inQuery = put("/api/products/HI-1?Authorization=Bearer%20local-dev-admin-token", donut, Map.of());
            Answer inForm = put("/api/products/HI-1", "Authorization=Bearer+local-dev-admin-token",
                    Map.of("Content-Type", "application/x-www-form-urlencoded"));
            HttpResponse<String> twice = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/products/HI-1"))
                    .header("Authorization", ADMIN).header("Authorization", ADMIN).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(donut)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(inQuery.status()).isEqualTo(401);
            assertThat(inForm.status()).isEqualTo(401);
            assertThat(twice.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(twice.body()).get("error").asText()).isEqualTo("DUPLICATE_HEADER");
            assertThat(db().queryForObject("SELECT COUNT(*) FROM products WHERE sku = 'HI-1'", Integer.class)).isZero();
            assertThat(put("/api/products/HI-1", donut, Map.of("Authorization", ADMIN)).status()).isEqualTo(201);
        }

        @Test
        void aPathParameterIsReadFromThePathWhateverTheQueryOrHeadersSay() {
            Answer query = get("/api/products/CP-502101?sku=NO-SUCH");
            Answer header = get("/api/products/CP-502101", Map.of("sku", "NO-SUCH"));

            assertThat(query.status()).isEqualTo(200);
            assertThat(query.body().get("sku").asText()).isEqualTo("CP-502101");
            assertThat(header.status()).isEqualTo(200);
            assertThat(header.body().get("sku").asText()).isEqualTo("CP-502101");
        }
    }
}
