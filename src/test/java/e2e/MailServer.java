package e2e;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;

import static org.awaitility.Awaitility.await;

/** A real SMTP server (GreenMail) that ops' mail goes to; it can be taken down and brought back. */
final class MailServer implements AutoCloseable {

    static final String OPS = "ops@donut-states.test";

    private final int port = Ports.free();
    private GreenMail greenMail;

    MailServer start() {
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        return this;
    }

    void stop() {
        greenMail.stop();
    }

    int port() {
        return port;
    }

    List<MimeMessage> received() {
        return greenMail.isRunning() ? Arrays.asList(greenMail.getReceivedMessages()) : List.of();
    }

    List<MimeMessage> awaitMessages(int count, Duration within) {
        await("%d email(s) to ops".formatted(count)).atMost(within).until(() -> received().size() >= count);
        return received();
    }

    static String text(MimeMessage message) {
        return GreenMailUtil.getBody(message);
    }

    @Override
    public void close() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }
}
