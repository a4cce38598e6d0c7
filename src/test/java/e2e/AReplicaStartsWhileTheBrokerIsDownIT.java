package e2e;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica that starts while nothing answers at the broker's address, given the topic and queues
 * by ARN as the deploy's task definition gives them: it is ready and sells at once, and the stock-out
 * it sold meanwhile is restocked once the broker answers, its restock pipeline started by Camel's
 * route controller. On the app's production defaults for every poll and back-off.
 */
class AReplicaStartsWhileTheBrokerIsDownIT {

    private final Database database = Database.newSchema();
    private final MailServer mail = new MailServer().start();
    private TcpProxy proxy;
    private AppProcess app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        mail.close();
    }

    @Test
    void itSellsAtOnceAndRestocksOnceTheBrokerAnswers() {
        Emulator broker = Emulator.shared();
        // The stack, as the deploy's owns it: made by a first instance, which then stops.
        AppProcess stackOwner = new AppProcess(database, broker, mail).onRunShDefaults().start();
        assertThat(stackOwner.putProduct("E2E-ARN-OUT", 1, 5).status()).isEqualTo(201);
        stackOwner.close();

        proxy = TcpProxy.to(Integer.parseInt(broker.endpoint().substring(broker.endpoint().lastIndexOf(':') + 1)));
        proxy.refuse();
        app = stackOwner.replica().byArn(broker).with("AWS_ENDPOINT_URL", "http://127.0.0.1:" + proxy.port()).start();

        assertThat(app.order("E2E-ARN-OUT", 1).status()).as("the last donut, sold while the broker is gone").isEqualTo(201);
        await("the app finding the broker gone").atMost(Duration.ofMinutes(1))
                .until(() -> app.log().contains("sns does not answer") && app.log().contains("sqs does not answer"));
        assertThat(database.stockOf("E2E-ARN-OUT")).isZero();

        proxy.forward();
        await("the stock-out restocked").atMost(Duration.ofMinutes(2)).until(() -> database.stockOf("E2E-ARN-OUT") == 5);
    }
}
