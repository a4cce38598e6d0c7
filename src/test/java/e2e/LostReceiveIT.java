package e2e;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A receive whose answer never reached the app: SQS handed the restock message out, and the
 * consumer never saw it (a long poll the app gave up on while the broker hung, answered when it
 * woke). The message stays invisible for the visibility timeout the consumer asked for, then
 * comes back and is ordered once: the lost receive costs STOCK_QUEUE_VISIBILITY_TIMEOUT_S, and the
 * publish deadline (which is longer) has nothing to do.
 *
 * Every timeout is the production default, as ./run.sh starts the app. The lost receive is the
 * test's own, made with the visibility timeout the app's consumers ask for, while the app takes
 * nothing off stock-queue; then the app is started with its factory route.
 */
class LostReceiveIT extends PipelineTest {

    private static final String SKU = "E2E-LOST-RECEIVE";
    private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

    private final Books books = new Books();

    LostReceiveIT() {
        super(Timing.RUN_SH_DEFAULTS, Map.of("FACTORY_ROUTE_ENABLED", "false"));
    }

    @Test
    void aReceiveWhoseAnswerNeverArrivedDelaysTheRestockByTheVisibilityTimeout() throws Exception {
        sellTheOnlyOne(books, SKU, 2);
        awaitPublished();

        broker().receiveAndLose(app.stockQueue(), VISIBILITY_TIMEOUT);
        long lostAt = System.nanoTime();
        app.restartWith(Map.of("FACTORY_ROUTE_ENABLED", "true"));

        await("ordered once the message is visible again").atMost(VISIBILITY_TIMEOUT.plusSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> app.admin("/api/restock-requests?status=ORDERED").body().size()
                        + app.admin("/api/restock-requests?status=FULFILLED").body().size() == 1);
        long orderedAfterMs = (System.nanoTime() - lostAt) / 1_000_000;

        Books.Totals totals = books.assertBalanced(database, mail, () -> app.get("/simulator/api/manufactures").body(), Duration.ofMinutes(1));
        assertThat(totals.fulfilled()).isEqualTo(1);
        assertThat(orderedAfterMs).as("ms from the lost receive to the order")
                .isGreaterThanOrEqualTo(VISIBILITY_TIMEOUT.toMillis() - 1000)
                .isLessThanOrEqualTo(VISIBILITY_TIMEOUT.plusSeconds(15).toMillis());
        assertThat(database.jdbc().queryForObject("SELECT republishes FROM restock_requests WHERE sku = ?", Integer.class, SKU))
                .as("published again").isZero();
        System.out.printf("lost receive: ordered %d ms after the receive whose answer was lost (visibility timeout %d s); %s%n",
                orderedAfterMs, VISIBILITY_TIMEOUT.toSeconds(), totals);
    }
}
