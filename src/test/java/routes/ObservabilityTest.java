package routes;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health and metrics next to the API: readiness says only whether this instance serves, the
 * dependencies show in the health detail and a gauge (docs/operations.md, "Health").
 */
class ObservabilityTest extends RouteTestSupport {


    @Test
    void healthShowsEachDependencyFromItsLastCheck() {
        // SNS and SQS are mocks here (RouteTestSupport): their checks reach nothing, the database's reaches H2.
        await().atMost(20, TimeUnit.SECONDS).until(() -> dependency("database").path("status").asText().equals("UP")
                && !dependency("sqs").path("status").asText().equals("UNKNOWN"));

        assertThat(dependency("sns").path("status").asText()).isEqualTo("DOWN");
        assertThat(dependency("sqs").path("status").asText()).isEqualTo("DOWN");
        assertThat(dependency("sqs").path("message").asText()).startsWith("sqs is not reachable");
        assertThat(get("/observe/health").status()).as("all checks, the dependencies' included").isEqualTo(503);
        assertThat(get("/observe/health/ready").status()).as("readiness: this instance serves").isEqualTo(200);
        assertThat(scrape()).containsEntry("donut_dependency_up{dependency=\"database\"}", 1.0)
                .containsEntry("donut_dependency_up{dependency=\"sns\"}", 0.0);
    }

    private com.fasterxml.jackson.databind.JsonNode dependency(String name) {
        for (com.fasterxml.jackson.databind.JsonNode check : get("/observe/health?exposureLevel=full", Map.of("Authorization", ADMIN)).body()
                .path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    void metricsAreInPrometheusFormat() {
        // metricsText() holds the scrape to 200.
        assertThat(metricsText()).contains("# TYPE").contains("jvm_memory_used_bytes");
    }

    @Test
    void readinessSaysWhetherThisInstanceServesAndNothingOfItsDependencies() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> get("/observe/health/ready").status() == 200);

        Answer ready = get("/observe/health/ready?exposureLevel=full", Map.of("Authorization", ADMIN));
        Answer live = get("/observe/health/live?exposureLevel=full", Map.of("Authorization", ADMIN));

        assertThat(ready.body().findValuesAsText("name")).contains("serving").doesNotContain("database", "sns", "sqs");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body().findValuesAsText("name")).doesNotContain("serving", "database", "sns", "sqs");
    }
}
