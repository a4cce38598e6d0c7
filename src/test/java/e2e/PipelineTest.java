package e2e;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;

import static org.assertj.core.api.Assertions.assertThat;

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
        this(Emulator.shared(), false, Timing.TEST_SPEED, settings);
    }

    PipelineTest(Timing timing, Map<String, String> settings) {
        this(Emulator.shared(), false, timing, settings);
    }

    /** With an emulator of the test's own, which it may freeze and which is stopped after it. */
    PipelineTest(Emulator broker, Map<String, String> settings) {
        this(broker, true, Timing.TEST_SPEED, settings);
    }

    PipelineTest(Emulator broker, Timing timing, Map<String, String> settings) {
        this(broker, true, timing, settings);
    }

    private PipelineTest(Emulator broker, boolean ownsBroker, Timing timing, Map<String, String> settings) {
        this.broker = broker;
        this.ownsBroker = ownsBroker;
        AppProcess configured = new AppProcess(database, broker, mail);
        if (timing == Timing.RUN_SH_DEFAULTS) {
            configured.onRunShDefaults();
        }
        settings.forEach(configured::with);
        app = configured.start();
    }

    Emulator broker() {
        return broker;
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
