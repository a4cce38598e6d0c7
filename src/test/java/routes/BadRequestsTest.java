package routes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request in src/test/resources/bad-requests.json is refused with a 4xx in the error
 * shape ({"error","message"}), in a sentence of our own (not a library's), leaves every table as
 * it was, and logs at most one quiet line.
 */
class BadRequestsTest extends RouteTestSupport {

    static Stream<Arguments> corpus() throws IOException {
        try (InputStream in = BadRequestsTest.class.getResourceAsStream("/bad-requests.json")) {
            JsonNode requests = JSON.readTree(in);
            assertThat(requests.size()).as("corpus size").isGreaterThanOrEqualTo(50);
            return java.util.stream.StreamSupport.stream(requests.spliterator(), false)
                    .map(request -> Arguments.of(request.get("name").asText(), request));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithA4xxAndChangesNothing(String name, JsonNode request) {
        List<Map<String, Object>> before = books();

        Answer answer;
        try (AppLog log = AppLog.capture()) {
            answer = send(request);
            log.assertQuietFor(1);
        }

        assertThat(answer.status()).as("status").isEqualTo(request.get("expect").asInt());
        assertThat(answer.body()).as("JSON error body").isNotNull();
        assertThat(answer.body().path("error").isTextual()).as("error code in " + answer.body()).isTrue();
        assertThat(answer.body().path("message").asText()).as("message").isNotBlank();
        assertThat(answer.body().toString()).doesNotContain("local-dev-admin-token", "local-dev-callback-secret", "Exception");
        // Parser wording names its own classes and switches (`JsonReadFeature...`, StreamReadConstraints).
        assertThat(answer.body().path("message").asText()).doesNotContain("`", "Feature", "Constraints", "jackson", "java.");
        assertThat(books()).as("database").isEqualTo(before);
    }

    private Answer send(JsonNode request) {
        String body = bodyOf(request);
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl() + request.get("path").asText()))
                .method(request.get("method").asText(), publisher);
        Map<String, String> headers = new HashMap<>();
        // "contentType": null sends a body without one.
        if (body != null && !request.path("contentType").isNull()) {
            headers.put("Content-Type", request.path("contentType").asText("application/json"));
        }
        String auth = request.path("auth").asText(null);
        if (auth != null) {
            headers.put("Authorization", auth.equals("admin") ? ADMIN : auth);
        }
        request.path("headers").fields().forEachRemaining(header -> headers.put(header.getKey(), header.getValue().asText()));
        return send(builder, headers);
    }

    private static String bodyOf(JsonNode request) {
        JsonNode body = request.get("body");
        if (body == null) {
            return null;
        }
        if (body.isObject()) {
            return body.get("around").asText().formatted(body.get("repeat").asText().repeat(body.get("times").asInt()));
        }
        return body.asText();
    }

    /** Everything a bad request could have changed. */
    private List<Map<String, Object>> books() {
        return db().queryForList("""
                SELECT 'product' AS kind, sku AS id, stock AS n, name AS detail FROM products
                UNION ALL SELECT 'orders', '', COUNT(*), '' FROM orders
                UNION ALL SELECT 'restock_requests', '', COUNT(*), '' FROM restock_requests
                UNION ALL SELECT 'stock_movements', '', COUNT(*), '' FROM stock_movements
                ORDER BY 1, 2""");
    }
}
