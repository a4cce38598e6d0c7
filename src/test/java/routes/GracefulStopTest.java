package routes;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import operations.ServingState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What clients and probes see while the app stops (docs/operations.md, "Stopping"): during the drain
 * readiness is DOWN and liveness UP while every request is still served; once the drain is over
 * (and likewise while the app starts, the same phase of ServingState for the edge) every request
 * is answered 503 in the error shape with Retry-After, HEAD and unknown paths included, and
 * changes nothing, while health still answers. The phases are moved here as operations.GracefulStop
 * moves them on SIGTERM; StoppingTheAppFinishesWorkInFlightIT sends the real signal to the jar, and
 * RollingRestartLosesNoRequestIT to replicas behind a load balancer.
 */
class GracefulStopTest extends RouteTestSupport {

    private static final String ORDER = "{\"sku\":\"%s\",\"quantity\":1}";
    private static final String FACTORY_BODY = """
            {"MessageGroupId":"stock-arrival-group","MessageAttributeProductId":"GS-OUT","MessageAttributeProductCnt":"10"}""";

    @Test
    void whileDrainingReadinessIsDownLivenessUpAndEveryRequestIsStillServed() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> get("/observe/health/ready").status() == 200);
        product("GS-DRAIN", 2, 0);
        String requestId = stockOutRequest("GS-OUT");

        assertThat(serving().drain()).isTrue();

        Answer ready = get("/observe/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.body().get("status").asText()).isEqualTo("DOWN");
        Answer detail = get("/observe/health/ready?exposureLevel=full", Map.of("Authorization", ADMIN));
        assertThat(detail.body().toString()).contains("serving").contains("The app is stopping");
        Answer live = get("/observe/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body().get("status").asText()).isEqualTo("UP");

        Answer sold = order(ORDER.formatted("GS-DRAIN"), null);
        assertThat(sold.status()).as("an order during the drain: %s", sold.body()).isEqualTo(201);
        assertThat(sold.body().get("remainingStock").asInt()).isEqualTo(1);
        assertThat(get("/api/products/GS-DRAIN").status()).isEqualTo(200);
        Answer delivered = post("/api/restock?request=" + requestId + "&signature=" + signature(requestId), FACTORY_BODY, Map.of());
        assertThat(delivered.status()).as("a factory callback during the drain: %s", delivered.body()).isEqualTo(200);
        assertThat(statusOf(requestId)).isEqualTo("FULFILLED");
    }

    @Test
    void onceTheDrainIsOverEveryRequestIsAnswered503InTheErrorShapeWithRetryAfterAndChangesNothing() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> get("/observe/health/ready").status() == 200);
        product("GS-STOP", 5, 0);
        String requestId = stockOutRequest("GS-STOP-OUT");
        serving().drain();
        serving().stopping();

        String callback = "/api/restock?request=" + requestId + "&signature=" + signature(requestId);
        List<Answer> answers = List.of(
                order(ORDER.formatted("GS-STOP"), "gs-stop-key"),
                post("/checkout", null, Map.of()),
                post(callback, FACTORY_BODY, Map.of()),
                get("/api/products"),
                get("/api/products/GS-STOP"),
                put("/api/products/GS-NEW", "{\"name\":\"New\",\"price\":1.00,\"stock\":1,\"factoryId\":\"f\",\"restockQuantity\":1}",
                        Map.of("Authorization", ADMIN)),
                get("/api/restock-requests", Map.of("Authorization", ADMIN)),
                get("/api/openapi.yaml"),
                get("/no/such/path"),
                post("/api/products", "{}", Map.of()));
        for (Answer answer : answers) {
            assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(answer.body().get("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(answer.body().get("message").asText()).isEqualTo("This instance is stopping and takes no new requests; try again shortly.");
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
        }
        Answer head = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/products")).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                Map.of());
        assertThat(head.status()).isEqualTo(503);
        assertThat(head.headers().firstValue("Retry-After")).hasValue("1");

        assertThat(stockOf("GS-STOP")).as("stock after the refused order").isEqualTo(5);
        assertThat(statusOf(requestId)).as("the refused callback's request").isIn("REQUESTED", "PUBLISHED");
        assertThat(db().queryForObject("SELECT COUNT(*) FROM products WHERE sku = 'GS-NEW'", Integer.class)).isZero();
        Answer ready = get("/observe/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.body().get("status").asText()).isEqualTo("DOWN");
        assertThat(get("/observe/health/live").status()).isEqualTo(200);
        assertThat(metricsText()).contains("donut_orders_total");
    }

    @Test
    void theAppIsStartingUntilEveryRouteHasStartedAndOnlyMovesOn() {
        ServingState fresh = new ServingState();
        assertThat(fresh.phase()).isEqualTo(ServingState.Phase.STARTING);
        assertThat(fresh.takesRequests()).isFalse();
        assertThat(fresh.ready()).isFalse();
        assertThat(fresh.drain()).as("a start is not drained").isFalse();

        assertThat(serving().phase()).as("this app, started").isEqualTo(ServingState.Phase.SERVING);
        assertThat(serving().ready()).isTrue();
        serving().stopping();
        assertThat(serving().drain()).as("a stop does not go back to draining").isFalse();
        assertThat(serving().takesRequests()).isFalse();
    }

    private ServingState serving() {
        return context.getRegistry().lookupByNameAndType("servingState", ServingState.class);
    }
}
