package e2e;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;

/**
 * The whole pipeline for one test: the jar on a fresh schema of the shared MariaDB, the shared
 * emulator (or one of the test's own), its own GreenMail, the factory simulator, and the
 * settings the test names.
 */
abstract class PipelineTest {

    final Database database = Database.newSchema();
    final MailServer mail = new MailServer().start();
    final AppProcess app;

    PipelineTest(Map<String, String> settings) {
        this(Emulator.shared(), settings);
    }

    PipelineTest(Emulator emulator, Map<String, String> settings) {
        AppProcess configured = new AppProcess(database, emulator, mail);
        settings.forEach(configured::with);
        app = configured.start();
    }

    @AfterEach
    void stopAppAndMail() {
        app.close();
        mail.close();
    }
}
