package e2e;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline for one test: the jar on a fresh schema of the shared MariaDB, the shared
 * emulator (or one of the test's own), its own GreenMail, the factory simulator, and the
 * settings the test names. Afterwards the app's log must not hold a secret.
 */
abstract class PipelineTest {

    final Database database = Database.newSchema();
    final MailServer mail = new MailServer().start();
    final AppProcess app;
    private final Emulator broker;
    private final boolean ownsBroker;

    /** How fast the pipeline's timeouts and schedules run. */
    enum Timing {
        /** Short polls, quick retries, an instant simulator: for tests about other things. */
        TEST_SPEED,
        /** The app's defaults, as ./run.sh and production run it: for tests about those timeouts. */
        RUN_SH_DEFAULTS
    }

    PipelineTest(Map<String, String> settings) {
        this(Emulator.shared(), false, Timing.TEST_SPEED, database -> settings);
    }

    /** With settings made from the test's database (its URL spelled for another driver). */
    PipelineTest(Function<Database, Map<String, String>> settings) {
        this(Emulator.shared(), false, Timing.TEST_SPEED, settings);
    }

    PipelineTest(Timing timing, Map<String, String> settings) {
        this(Emulator.shared(), false, timing, database -> settings);
    }

    /** With an emulator of the test's own, which it may freeze and which is stopped after it. */
    PipelineTest(Emulator broker, Map<String, String> settings) {
        this(broker, true, Timing.TEST_SPEED, database -> settings);
    }

    PipelineTest(Emulator broker, Timing timing, Map<String, String> settings) {
        this(broker, true, timing, database -> settings);
    }

    private PipelineTest(Emulator broker, boolean ownsBroker, Timing timing, Function<Database, Map<String, String>> settings) {
        this.broker = broker;
        this.ownsBroker = ownsBroker;
        AppProcess configured = new AppProcess(database, broker, mail);
        if (timing == Timing.RUN_SH_DEFAULTS) {
            configured.onRunShDefaults();
        }
        settings.apply(database).forEach(configured::with);
        app = configured.start();
    }

    Emulator broker() {
        return broker;
    }

    /** A product with one donut in stock, sold to a customer: the sale opens its restock request. */
    void sellTheOnlyOne(Books books, String sku, int restockQuantity) {
        assertThat(app.putProduct(sku, 1, restockQuantity).status()).isEqualTo(201);
        books.stocked(sku, 1);
        assertThat(app.order(sku, 1).status()).isEqualTo(201);
        books.sold(sku, 1);
    }

    /** Waits until the test's one restock request is PUBLISHED, and returns its id. */
    String awaitPublished() {
        await("the stock-out published").atMost(Duration.ofSeconds(30))
                .until(() -> app.admin("/api/restock-requests?status=PUBLISHED").body().size() == 1);
        return app.admin("/api/restock-requests").body().get(0).get("id").asText();
    }

    @AfterEach
    void stopAppAndMail() {
        app.close();
        mail.close();
        if (ownsBroker) {
            broker.close();
        }
        assertThat(app.log()).as("the app's log").isNotBlank()
                .doesNotContain(AppProcess.ADMIN_TOKEN).doesNotContain(app.callbackSecret());
    }
}
