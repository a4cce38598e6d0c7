package routes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a hostile client tries beyond the bad-requests corpus: setting the routes' internal
 * state, sending the admin token where it does not belong, loose parsing, hidden characters and
 * the factory simulator as a relay. Each is refused or ignored, changes nothing it should not, and
 * the app logs nothing about it above INFO. Slow connections and HTTP/2 are the load balancer's
 * (SlowClientsMeetTheBalancerIT).
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

        // Load tools and some clients send a Content-Type on every request; without a body it says nothing.
        @ParameterizedTest
        @ValueSource(strings = {"text/html", "application/xml", "text/plain; charset=utf-8"})
        void aContentTypeOnARequestWithoutABodyIsIgnoredAndTheAnswerIsJson(String contentType) {
            for (String path : new String[] {"/api/products/CP-502101", "/api/products?limit=1", "/api/restock-requests"}) {
                Answer answer = get(path, Map.of("Content-Type", contentType, "Authorization", ADMIN));

                assertThat(answer.status()).as(path).isEqualTo(200);
                assertThat(answer.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
                assertThat(answer.body()).as(path).isNotNull();
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/json;charset=\"UTF-8\"", "Application/JSON"})
        void jsonInUtf8IsTakenWithOrWithoutItsCharset(String contentType) {
            assertThat(post("/api/orders", ORDER, Map.of("Content-Type", contentType)).status()).isEqualTo(201);
        }

        @Test
        void aBodyThatIsNotUtf8IsRefused() {
            byte[] latin1 = "{\"sku\":\"CP-502101\",\"quantity\":1,\"note\":\"crème\"}".getBytes(StandardCharsets.ISO_8859_1);

            Answer answer = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/orders"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(latin1)), Map.of("Content-Type", "application/json"));

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().get("message").asText()).isEqualTo("The request body is not valid UTF-8.");
        }

        @Test
        void aSecondJsonDocumentAfterTheFirstSellsNothing() {
            int before = stockOf("CP-502101");

            Answer answer = post("/api/orders", ORDER + ORDER, Map.of());

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().get("message").asText()).isEqualTo("The request body must hold one JSON object and nothing after it.");
            assertThat(stockOf("CP-502101")).isEqualTo(before);
        }

        @Test
        void parseErrorsAreOurOwnSentences() {
            assertThat(post("/api/orders", "{\"sku\":\"CP-502101\",\"quantity\":NaN}", Map.of()).body().get("message").asText())
                    .matches("The request body is not valid JSON \\(line 1, column \\d+\\)\\.");
            assertThat(post("/api/orders", "{\"sku\":\"CP-502101\",\"quantity\":1,\"quantity\":2}", Map.of()).body().get("message").asText())
                    .isEqualTo("'quantity' appears more than once in the request body.");
            assertThat(post("/api/orders", "[".repeat(1200), Map.of()).body().get("message").asText())
                    .isEqualTo("The request body nests JSON deeper than 1000 levels or holds a number longer than 1000 characters.");
        }

        @Test
        void aPriceKeepsItsTwoDecimalsOrIsRefused() {
            assertThat(put("/api/products/HI-2", donut("\"Glazed\"", "2.90"), Map.of("Authorization", ADMIN)).status()).isEqualTo(201);
            assertThat(get("/api/products/HI-2").body().get("price").decimalValue()).isEqualByComparingTo("2.90");

            for (String price : new String[] {"1e-400", "1e999", "2.999", "0.001"}) {
                Answer refused = put("/api/products/HI-3", donut("\"Glazed\"", price), Map.of("Authorization", ADMIN));
                assertThat(refused.status()).as(price).isEqualTo(400);
                assertThat(refused.body().get("error").asText()).isEqualTo("INVALID_PRICE");
            }
            assertThat(db().queryForObject("SELECT COUNT(*) FROM products WHERE sku = 'HI-3'", Integer.class)).isZero();
        }

        @ParameterizedTest
        @ValueSource(strings = {"Crème brûlée", "\\ud83c\\udf69 Donut", "\\ud83d\\udc68\\u200d\\ud83d\\udc69\\u200d\\ud83d\\udc67 family box", "دونات بالعسل", "  Glazed  "})
        void aNameMayBeAnyVisibleText(String name) {
            Answer answer = put("/api/products/HI-4", donut("\"" + name + "\"", "1.00"), Map.of("Authorization", ADMIN));

            assertThat(answer.status()).as(answer.toString()).isIn(200, 201);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Glazed\\u0085", "Gla\\u202Ezed", "Glazed\\u2066x\\u2069", "Glazed\\ud800", "\\udc00", "\\u200b\\u200b",
                "\\u3164", "\\u2800", "Glazed\\uffff", "Glazed\\ufdd0", "Glazed\\u2028", "Glazed\\u0000", "Glazed\\u00ad", "\\u0301"})
        void aNameWithHiddenOrBrokenCharactersIsRefused(String name) {
            Answer answer = put("/api/products/HI-5", donut("\"" + name + "\"", "1.00"), Map.of("Authorization", ADMIN));

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().get("error").asText()).isEqualTo("INVALID_NAME");
            assertThat(answer.body().get("message").asText()).contains("visible").contains("bidirectional");
        }

        @Test
        void headIsAnsweredWhereGetIsWithoutABody() throws Exception {
            for (String path : new String[] {"/api/products", "/api/products/CP-502101", "/observe/health/ready", "/api/openapi.yaml"}) {
                HttpResponse<String> head = head(path);
                assertThat(head.statusCode()).as(path).isEqualTo(200);
                assertThat(head.body()).as(path).isEmpty();
            }
            assertThat(head("/api/products/NO-SUCH").statusCode()).isEqualTo(404);
            HttpResponse<String> noGet = head("/api/orders");
            assertThat(noGet.statusCode()).isEqualTo(405);
            assertThat(noGet.headers().firstValue("Allow")).hasValue("POST");
        }

        @Test
        void a405NamesTheAllowedMethodsInAnAllowHeader() throws Exception {
            HttpResponse<String> delete = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/products/CP-502101")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(delete.statusCode()).isEqualTo(405);
            assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT");
            assertThat(JSON.readTree(delete.body()).get("error").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        }

        @Test
        void healthDetailNeedsTheAdminTokenAndThePlainStatusDoesNot() {
            await().atMost(10, TimeUnit.SECONDS).until(() -> get("/observe/health/ready").status() == 200);

            Answer plain = get("/observe/health");
            Answer oneline = get("/observe/health/ready?exposureLevel=oneline");
            Answer anonymous = get("/observe/health?exposureLevel=full");
            Answer anyCase = get("/observe/health?EXPOSURELEVEL=full");
            Answer doubledSlash = get("/observe//health?exposureLevel=full");
            Answer escaped = get("/observe/%68ealth/ready?exposureLevel=full");
            Answer admin = get("/observe/health?exposureLevel=full", Map.of("Authorization", ADMIN));

            assertThat(plain.body().fieldNames()).toIterable().containsExactly("status");
            assertThat(oneline.status()).isEqualTo(200);
            assertThat(oneline.body().has("checks")).isFalse();
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.body().get("error").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(anyCase.body().has("checks")).as("a differently spelt parameter: " + anyCase).isFalse();
            assertThat(doubledSlash.body().has("checks")).as("a doubled slash: " + doubledSlash).isFalse();
            assertThat(escaped.body().has("checks")).as("an escaped path: " + escaped).isFalse();
            // SNS and SQS are mocks here, so the dependencies' part of all checks is DOWN (ObservabilityTest).
            assertThat(admin.status()).isIn(200, 503);
            assertThat(admin.body().get("checks").findValuesAsText("name")).contains("database");
        }

        private HttpResponse<String> head(String path) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The factory simulator, left on: it calls back only to this app. */
    @Nested
    class Simulator extends RouteTestSupport {

        @Override
        protected Map<String, String> extraProperties() {
            return Map.of("simulator.enabled", "on", "simulator.delay-ms", "0", "simulator.callback-retries", "0");
        }

        @ParameterizedTest
        @ValueSource(strings = {"http://127.0.0.1:9/anywhere", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd",
                "{base}.example.org/api/restock?request=x", "{base}@example.org/api/restock?request=x", "{base}/api/restock-requests?x=1",
                "{base}/api/restock?request=x y"})
        void anOrderWhoseCallbackIsNotThisAppsIsRefusedAndNeverCalled(String callbackUrl) {
            try (AppLog log = AppLog.capture()) {
                Answer refused = post("/simulator/api/manufactures",
                        FactorySimulatorRouteTest.factoryOrder(callbackUrl.replace("{base}", baseUrl())), Map.of());

                assertThat(refused.status()).isEqualTo(400);
                assertThat(refused.body().get("error").asText()).isEqualTo("INVALID_CALLBACK_URL");
                log.assertQuietFor(1);
            }
            assertThat(get("/simulator/api/manufactures").body().size()).as("orders taken").isZero();
        }

        @Test
        void aBodyThatIsNotJsonIsRefusedWithA4xx() {
            Answer notJson = post("/simulator/api/manufactures", "CallbackUrl=http://127.0.0.1:9", Map.of());
            Answer notJsonAtAll = post("/simulator/api/manufactures", "nope", Map.of("Content-Type", "text/plain"));
            Answer notAString = post("/simulator/api/manufactures", "{\"CallbackUrl\":{\"url\":\"" + baseUrl() + "\"}}", Map.of());

            assertThat(notJson.status()).isEqualTo(400);
            assertThat(notJson.body().get("error").asText()).isEqualTo("INVALID_JSON");
            assertThat(notJsonAtAll.status()).isEqualTo(415);
            assertThat(notAString.status()).isEqualTo(400);
        }
    }

    /** The simulator keeps a bounded number of deliveries and counts. */
    @Nested
    class BusySimulator extends RouteTestSupport {

        @Override
        protected Map<String, String> extraProperties() {
            return Map.of("simulator.enabled", "on", "simulator.delay-ms", "2000", "simulator.callback-retries", "0",
                    "simulator.max-pending-deliveries", "1", "simulator.max-orders-counted", "2");
        }

        @Test
        void beyondItsBoundsItAnswers503AndForgetsTheOldestCounts() {
            assertThat(order("r1").status()).isEqualTo(201);
            awaitDeliveriesUnderWay(1);
            Answer busy = order("r2");

            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.body().get("error").asText()).isEqualTo("FACTORY_BUSY");
            awaitDeliveriesUnderWay(0);
            assertThat(order("r3").status()).isEqualTo(201);
            awaitDeliveriesUnderWay(1);
            awaitDeliveriesUnderWay(0);
            assertThat(order("r4").status()).isEqualTo(201);
            JsonNode counted = get("/simulator/api/manufactures").body();
            assertThat(counted.fieldNames()).toIterable().containsExactly("r3", "r4");
        }

        private void awaitDeliveriesUnderWay(int count) {
            await().atMost(20, TimeUnit.SECONDS).until(() -> context.getInflightRepository().size("factory-simulator-delivery") == count);
        }

        private Answer order(String requestId) {
            return post("/simulator/api/manufactures", FactorySimulatorRouteTest.factoryOrder(
                    baseUrl() + "/api/restock?request=" + requestId + "&signature=" + "0".repeat(64)), Map.of());
        }
    }
}
