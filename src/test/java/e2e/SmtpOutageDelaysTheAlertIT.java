package e2e;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The mail server is down when a dead letter arrives: ops get the email once it is back. */
class SmtpOutageDelaysTheAlertIT extends PipelineTest {

    SmtpOutageDelaysTheAlertIT() {
        super(Map.of("SIMULATOR_FAILURE_RATE", "1"));
    }

    @Test
    void theAlertForADeadLetterIsSentOnceSmtpIsBack() throws Exception {
        mail.stop();
        assertThat(app.putProduct("E2E-NOMAIL", 1, 4).status()).isEqualTo(201);
        assertThat(app.order("E2E-NOMAIL", 1).status()).isEqualTo(201);

        // The alert route marks the request FAILED just before it tries to mail, against a closed port.
        await("request FAILED").atMost(Duration.ofSeconds(30))
                .until(() -> app.admin("/api/restock-requests?status=FAILED").body().size() == 1);
        assertThat(mail.received()).isEmpty();

        mail.start();

        assertThat(mail.awaitMessages(1, Duration.ofSeconds(30)).get(0).getSubject()).contains("E2E-NOMAIL");
        await("no second email").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> mail.received().size() == 1);
    }
}
