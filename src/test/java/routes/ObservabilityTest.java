package routes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Health and metrics stay reachable next to the API and its catch-all for unknown paths. */
class ObservabilityTest extends RouteTestSupport {


    @Test
    void healthAnswersUpOnceEveryConsumerHasStarted() {
        // The outbox consumer reports DOWN until its first poll, a second after start.
        await().atMost(10, TimeUnit.SECONDS).until(() -> get("/observe/health").status() == 200);

        assertThat(get("/observe/health").body().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void metricsAreInPrometheusFormat() throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE").contains("jvm_memory_used_bytes");
    }

    @Test
    void readinessReportsTheDatabaseAndLivenessDoesNot() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> get("/observe/health/ready").status() == 200);

        Answer ready = get("/observe/health/ready?exposureLevel=full", Map.of("Authorization", ADMIN));
        Answer live = get("/observe/health/live?exposureLevel=full", Map.of("Authorization", ADMIN));

        assertThat(ready.body().findValuesAsText("name")).contains("database", "consumer:factory", "consumer:alert");
        assertThat(ready.body().findValuesAsText("name")).doesNotContain("consumer:restock-gauges");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body().findValuesAsText("name")).doesNotContain("database");
    }
}
