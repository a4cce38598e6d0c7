package e2e;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The load-balancer harness works: two replicas behind HAProxy share the database and take
 * orders in turn; with one stopped, orders sent at once are answered by the other, and HAProxy
 * takes it out of service; started again, it is back; with none left, HAProxy answers in the
 * API's error shape. Every answer is JSON. The replicas run as the image does, with health and
 * metrics on a management port of their own: HAProxy checks readiness there, and through the
 * balancer, as on the public listener, /observe/* is not found.
 */
class LoadBalancerHarnessIT {

    private static final String SKU = "E2E-BALANCED";
    private static final int STOCK = 1000;

    private final Database database = Database.newSchema();
    private final MailServer mail = new MailServer().start();
    private final LoadBalancer balancer = new LoadBalancer(new AppProcess(database, Emulator.shared(), mail).withManagementPort(), 2)
            .start();
    private int sold;

    @AfterEach
    void stopEverything() {
        balancer.close();
        mail.close();
        for (AppProcess replica : balancer.replicas()) {
            assertThat(replica.log()).as("a replica's log").isNotBlank()
                    .doesNotContain(AppProcess.ADMIN_TOKEN).doesNotContain(replica.callbackSecret());
        }
    }

    @Test
    void ordersReachEveryReplicaAndGoOnThroughTheOtherWhenOneStops() {
        AppProcess first = balancer.replica(0);
        AppProcess second = balancer.replica(1);
        assertThat(jsonAnswer(balancer.putProduct(SKU, STOCK, 10)).status()).isEqualTo(201);

        orderThroughTheBalancer(10);
        for (String path : List.of("/observe/health", "/observe/health/ready", "/observe/metrics")) {
            ApiClient.Answer hidden = jsonAnswer(balancer.get(path));
            assertThat(hidden.status()).as("%s through the balancer", path).isEqualTo(404);
            assertThat(hidden.body().get("error").asText()).isEqualTo("NOT_FOUND");
        }
        assertThat(List.of(first, second)).as("replicas that sold").allSatisfy(replica ->
                assertThat(replica.businessMetrics()).containsKey("donut_orders_total{result=\"sold\"}")
                        .extractingByKey("donut_orders_total{result=\"sold\"}").isNotEqualTo(0.0));

        second.close();
        // Sent before any health check noticed: the refused connection sends each on to the first replica.
        orderThroughTheBalancer(10);
        await("HAProxy to take the stopped replica out").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(balancer::upReplicas, List.of(first)::equals);
        orderThroughTheBalancer(10);

        second.start();
        await("HAProxy to send requests to the restarted replica").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> balancer.upReplicas().size() == 2);
        orderThroughTheBalancer(10);
        assertThat(database.stockOf(SKU)).as("stock after %d orders answered 201", sold).isEqualTo(STOCK - sold);

        first.close();
        second.close();
        ApiClient.Answer unavailable = jsonAnswer(balancer.order(SKU, 1));
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.body().get("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(unavailable.body().get("message").asText()).isNotBlank();
        assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(database.stockOf(SKU)).isEqualTo(STOCK - sold);
    }

    private void orderThroughTheBalancer(int orders) {
        for (int i = 0; i < orders; i++) {
            ApiClient.Answer answer = jsonAnswer(balancer.order(SKU, 1));
            assertThat(answer.status()).as("order through the balancer: %s", answer.body()).isEqualTo(201);
            sold++;
        }
    }

    /** No answer, the app's or HAProxy's, may be anything but JSON. */
    private static ApiClient.Answer jsonAnswer(ApiClient.Answer answer) {
        assertThat(answer.headers().firstValue("Content-Type")).as("Content-Type of a %d answer", answer.status())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(answer.body()).as("body of a %d answer", answer.status()).isNotNull();
        return answer;
    }
}
