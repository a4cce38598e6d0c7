package routes;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MANAGEMENT_PORT apart from PORT: health and metrics answer on the management port only, the
 * API's port answers their paths 404 in the API's error shape however they are spelt, and the API
 * goes on answering on its own port (and nowhere else). Each port has the edge in front of it once.
 */
class ManagementPortTest extends RouteTestSupport {

    private static final List<String> MANAGEMENT_PATHS = List.of(
            "/observe/health", "/observe/health/ready", "/observe/health/live", "/observe/metrics");

    // Chosen on first use, as RouteTestSupport's port: the framework asks for the properties first.
    private int managementPort;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("app.management-port", String.valueOf(managementPort()));
    }

    @Test
    void healthAndMetricsAnswerOnTheManagementPort() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> management("/observe/health/ready", Map.of()).status() == 200);

        for (String path : List.of("/observe/health/ready", "/observe/health/live")) {
            Answer health = management(path, Map.of());
            assertThat(health.status()).as(path).isEqualTo(200);
            assertThat(health.body().get("status").asText()).as(path).isEqualTo("UP");
        }
        Answer all = management("/observe/health?exposureLevel=full", Map.of("Authorization", ADMIN));
        assertThat(all.body().findValuesAsText("name")).contains("serving", "database", "sns", "sqs");
        assertThat(management("/observe/health/ready?exposureLevel=full", Map.of()).status())
                .as("health detail still needs the admin token").isEqualTo(401);
        assertThat(metricsText()).contains("# TYPE").contains("donut_orders_total");
    }

    @Test
    void theApiPortAnswersTheManagementPathsNotFound() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> management("/observe/health/ready", Map.of()).status() == 200);

        for (String path : List.of("/observe/health", "/observe/health/ready", "/observe/health/live", "/observe/metrics",
                "/observe/health?exposureLevel=full", "/observe//health/ready", "/observe/%68ealth/live")) {
            Answer hidden = get(path);
            assertThat(hidden.status()).as(path).isEqualTo(404);
            assertThat(hidden.body().get("error").asText()).as(path).isEqualTo("NOT_FOUND");
            assertThat(hidden.body().get("message").asText()).as(path).isEqualTo(get("/api/nothing-here").body().get("message").asText());
        }
        Answer adminAsking = get("/observe/health/ready?exposureLevel=full", Map.of("Authorization", ADMIN));
        assertThat(adminAsking.status()).isEqualTo(404);
        Answer head = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/observe/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), Map.of());
        assertThat(head.status()).as("HEAD").isEqualTo(404);
    }

    @Test
    void theApiAnswersOnItsOwnPortOnly() {
        Answer products = get("/api/products");
        Answer sold = order("{\"sku\":\"CP-502101\",\"quantity\":1}", null);

        assertThat(products.status()).isEqualTo(200);
        assertThat(products.body().get(0).get("sku").asText()).isEqualTo("CP-502101");
        assertThat(sold.status()).isEqualTo(201);
        Answer elsewhere = management("/api/products", Map.of());
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.body().get("error").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void eachPortHasItsEdgeOnceHoweverManyRoutesTheControllerStarted() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> management("/observe/health/ready", Map.of()).status() == 200);

        // Camel tells its startup listeners again for every route the supervising controller starts:
        // what one added each time, every request (an edge handler) or every exchange step (an event
        // notifier) would pass through once per route.
        assertThat(context.getRoutes()).hasSizeGreaterThan(20);
        int apiPort = Integer.parseInt(context.resolvePropertyPlaceholders("{{app.port}}"));
        assertThat(edgeHandlers(apiPort)).as("on the API's port: the edge and its failure handler").isEqualTo(2);
        assertThat(edgeHandlers(managementPort())).as("on the management port: the edge and its 404").isEqualTo(2);
        assertThat(context.getManagementStrategy().getEventNotifiers()).hasSizeLessThan(10);
    }

    /** The routes of the port's Vert.x router that match every path: the edge's, as HttpEdge.install adds them. */
    private long edgeHandlers(int port) {
        return VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port)).getRoutes().stream()
                .filter(route -> route.getPath() == null && route.methods() == null).count();
    }

    private Answer management(String path, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(managementUri(path)).GET(), headers);
    }

    @Override
    String managementBaseUrl() {
        return "http://127.0.0.1:" + managementPort();
    }

    private URI managementUri(String path) {
        return URI.create(managementBaseUrl() + path);
    }

    private int managementPort() {
        if (managementPort == 0) {
            managementPort = freePort();
        }
        return managementPort;
    }
}
