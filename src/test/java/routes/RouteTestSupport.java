package routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real application (application.properties, configuration classes, every route) on a
 * private in-memory database, with SNS replaced by a mock endpoint, and drives it over its real
 * HTTP port so status codes, headers and bodies are exactly what a client sees.
 */
abstract class RouteTestSupport extends CamelMainTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = "Bearer local-dev-admin-token";
    // HTTP/1.1, as clients reach the app through the load balancer; every request has a deadline,
    // so that an answer that never comes fails its test instead of holding the build.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);

    // Chosen on first use: the test framework asks for the properties before field initialisers run.
    private int port;

    record Answer(int status, JsonNode body, HttpHeaders headers) {

        /** The value of a header of the answer, or null without one. */
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties overrides = new Properties();
        overrides.put("db.url", "jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=MySQL;DATABASE_TO_LOWER=FALSE;DATABASE_TO_UPPER=FALSE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;DB_CLOSE_DELAY=-1");
        overrides.put("app.port", String.valueOf(port()));
        overrides.put("aws.endpoint-url", "http://127.0.0.1:9");
        overrides.put("aws.provision", "false");
        overrides.put("stock-topic.uri", "mock:stock-topic");
        overrides.put("outbox.poll-delay-ms", "50");
        overrides.put("outbox.max-backoff-s", "1");
        overrides.put("stock-queue.uri", "direct:stock-queue");
        overrides.put("stock-queue-backlog.uri", "mock:stock-queue-backlog");
        overrides.put("restock.publish-check-ms", "200");
        overrides.put("stock-dlq.uri", "mock:stock-dlq");
        overrides.put("stock-dlq-consumer.uri", "direct:stock-dlq");
        overrides.put("factory.url", "http://factory.test");
        overrides.put("factory.uri", "mock:factory");
        overrides.put("ops-mail.uri", "mock:ops-mail");
        overrides.put("factory.retry-attempts", "2");
        overrides.put("factory.retry-delay-ms", "10");
        overrides.put("factory.max-retry-delay-ms", "50");
        overrides.put("factory.timeout-ms", "1000");
        overrides.put("factory.lease-s", "30");
        overrides.putAll(extraProperties());
        return overrides;
    }

    protected Map<String, String> extraProperties() {
        return Map.of();
    }

    /** The restock pipeline's routes start under Camel's route controller, and may take a moment after the context. */
    @BeforeEach
    void restockPipelineStarted() {
        org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> context.getRouteController().getRouteStatus("outbox").isStarted());
    }

    /**
     * AdviceWith, then the route started again: Camel's supervising route controller
     * (camel.routecontroller) starts a route added after the start only when it supervises it.
     */
    void advise(String routeId, org.apache.camel.util.function.ThrowingConsumer<org.apache.camel.builder.AdviceWithRouteBuilder, Exception> advice)
            throws Exception {
        org.apache.camel.builder.AdviceWith.adviceWith(context, routeId, advice);
        if (!context.getRouteController().getRouteStatus(routeId).isStarted()) {
            context.getRouteController().startRoute(routeId);
        }
    }

    static String signature(String requestId) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec("local-dev-callback-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(requestId.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What camel-http throws when the factory answers with an error status. */
    static HttpOperationFailedException factoryAnswered(int status) {
        return new HttpOperationFailedException("http://factory.test/api/manufactures", status, "Service Unavailable", null,
                Map.of(), "{\"error\":\"busy\"}");
    }

    /** Sells the product out so that it has an open restock request, and returns its id. */
    String stockOutRequest(String sku) {
        product(sku, 0, 0);
        order("{\"sku\":\"" + sku + "\",\"quantity\":1}", null);
        return db().queryForObject("SELECT id FROM restock_requests WHERE sku = ? AND status <> 'FULFILLED'", String.class, sku);
    }

    String statusOf(String requestId) {
        return db().queryForObject("SELECT status FROM restock_requests WHERE id = ?", String.class, requestId);
    }

    String baseUrl() {
        return "http://localhost:" + port();
    }

    /** Where health and metrics answer: the API's port unless a test moves them (ManagementPortTest). */
    String managementBaseUrl() {
        return baseUrl();
    }

    JdbcTemplate db() {
        return new JdbcTemplate(context.getRegistry().lookupByNameAndType("dataSource", DataSource.class));
    }

    int stockOf(String sku) {
        return db().queryForObject("SELECT stock FROM products WHERE sku = ?", Integer.class, sku);
    }

    void product(String sku, int stock, int reorderPoint) {
        Answer answer = put("/api/products/" + sku, """
                {"name":"Test donut","price":1.25,"stock":%d,"factoryId":"factory_01","restockQuantity":10,"reorderPoint":%d}"""
                .formatted(stock, reorderPoint), Map.of("Authorization", ADMIN));
        if (answer.status() >= 300) {
            throw new IllegalStateException("Could not create product: " + answer);
        }
    }

    Answer order(String body, String idempotencyKey) {
        return post("/api/orders", body, idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
    }

    Answer get(String path) {
        return get(path, Map.of());
    }

    Answer get(String path, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    Answer post(String path, String json, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(uri(path)).POST(bodyOf(json)), withJson(headers));
    }

    Answer put(String path, String json, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(uri(path)).PUT(bodyOf(json)), withJson(headers));
    }

    Answer send(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(ANSWER_WITHIN).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), json(response), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body as JSON, or null when there is none or it is not JSON (the test then fails on what it expected). */
    private static JsonNode json(HttpResponse<String> response) {
        try {
            return response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (IOException e) {
            return null;
        }
    }

    /** The donut_ samples of a scrape, keyed by name and labels as Prometheus prints them. */
    Map<String, Double> scrape() {
        Map<String, Double> samples = new LinkedHashMap<>();
        metricsText().lines().filter(line -> line.startsWith("donut_")).forEach(line -> {
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        });
        return samples;
    }

    String metricsText() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(managementBaseUrl() + "/observe/metrics"))
                    .timeout(ANSWER_WITHIN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private static HttpRequest.BodyPublisher bodyOf(String body) {
        return body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    }

    private static Map<String, String> withJson(Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.putIfAbsent("Content-Type", "application/json");
        return all;
    }

    private int port() {
        if (port == 0) {
            port = freePort();
        }
        return port;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
