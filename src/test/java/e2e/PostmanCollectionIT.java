package e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Postman collection in postman/ (the README's curl story with tests) run by newman against
 * the jar with the factory simulator: every request runs, and every one of its assertions holds.
 */
class PostmanCollectionIT extends PipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path POSTMAN = Path.of(System.getProperty("postman.dir", "postman")).toAbsolutePath();
    private static final Path COLLECTION = POSTMAN.resolve("donut-states.postman_collection.json");
    private static final Path REPORT = Path.of("target", "newman", "report.json").toAbsolutePath();

    PostmanCollectionIT() {
        // A factory that takes a moment to deliver, so the collection's poll really waits.
        super(Map.of("SIMULATOR_DELAY_MS", "500"));
    }

    @Test
    void theCollectionPassesAgainstTheApp() throws Exception {
        Files.deleteIfExists(REPORT);

        int exit = newman();

        JsonNode run = JSON.readTree(REPORT.toFile()).path("run");
        JsonNode stats = run.path("stats");
        List<String> failures = new ArrayList<>();
        run.path("failures").forEach(failure -> failures.add(failure.path("source").path("name").asText()
                + ": " + failure.path("error").path("test").asText() + " - " + failure.path("error").path("message").asText()));
        System.out.printf("newman: %d requests, %d assertions, %d failed%n",
                stats.path("requests").path("total").asInt(), stats.path("assertions").path("total").asInt(),
                stats.path("assertions").path("failed").asInt());
        failures.forEach(failure -> System.out.println("  failed: " + failure));

        assertThat(failures).as("newman failures (output in " + Logs.file("newman") + ")").isEmpty();
        assertThat(exit).as("newman's exit code").isZero();
        assertThat(stats.path("assertions").path("failed").asInt()).isZero();
        // 78 when the first poll already finds the request FULFILLED; each further poll adds two.
        assertThat(stats.path("assertions").path("total").asInt()).as("assertions run").isGreaterThanOrEqualTo(78);
        Set<String> ran = new TreeSet<>();
        run.path("executions").forEach(execution -> ran.add(execution.path("item").path("name").asText()));
        assertThat(ran).as("requests that ran").containsExactlyInAnyOrderElementsOf(requestNames());

        // What the collection did, seen from the database: one restock, fulfilled; ten left.
        assertThat(database.jdbc().queryForList("""
                SELECT r.status, p.stock FROM restock_requests r JOIN products p ON p.sku = r.sku
                 WHERE r.sku LIKE 'PM-%'""")).singleElement().satisfies(row -> {
            assertThat(row.get("status")).isEqualTo("FULFILLED");
            assertThat(((Number) row.get("stock")).intValue()).isEqualTo(10);
        });
    }

    private int newman() throws IOException, InterruptedException {
        Path cli = POSTMAN.resolve("node_modules/newman/bin/newman.js");
        if (!Files.exists(cli)) {
            install();
        }
        Process process = new ProcessBuilder("node", cli.toString(), "run", COLLECTION.toString(),
                "-e", POSTMAN.resolve("local.postman_environment.json").toString(),
                "--env-var", "baseUrl=http://127.0.0.1:" + app.port(),
                "--env-var", "adminToken=" + AppProcess.ADMIN_TOKEN,
                "--reporters", "cli,json", "--reporter-json-export", REPORT.toString(), "--color", "off")
                .redirectErrorStream(true)
                .redirectOutput(Logs.file("newman").toFile())
                .start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("newman did not finish within 3 minutes; see " + Logs.file("newman"));
        }
        return process.exitValue();
    }

    private static void install() throws IOException, InterruptedException {
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(POSTMAN.toFile())
                .redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            throw new IllegalStateException("npm ci failed in " + POSTMAN);
        }
    }

    /** Every request of the collection, folders walked through. */
    private static List<String> requestNames() throws IOException {
        List<String> names = new ArrayList<>();
        collect(JSON.readTree(COLLECTION.toFile()).path("item"), names);
        return names;
    }

    private static void collect(JsonNode items, List<String> names) {
        items.forEach(item -> {
            if (item.has("request")) {
                names.add(item.path("name").asText());
            } else {
                collect(item.path("item"), names);
            }
        });
    }
}
