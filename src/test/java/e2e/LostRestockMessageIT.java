package e2e;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A restock message lost between SNS and the factory route: here the stock queue's subscription is
 * gone when the stock-out is published, so SNS accepts a message that reaches no queue (a broker
 * restarted empty, a purged queue or a receive whose answer never arrived lose it the same way).
 * The request waits PUBLISHED until RESTOCK_PUBLISH_DEADLINE_S has passed with nothing on the
 * queue, is published again with the same id, ordered once and restocked.
 *
 * Every timeout and deadline is the production default, as ./run.sh starts the app.
 */
class LostRestockMessageIT extends PipelineTest {

    private static final String SKU = "E2E-LOST";
    private static final long PUBLISH_DEADLINE_S = 120;

    private final Books books = new Books();

    LostRestockMessageIT() {
        super(Timing.RUN_SH_DEFAULTS, Map.of());
    }

    @Test
    void aRequestWhoseMessageWasLostIsPublishedAgainAfterItsDeadlineAndRestocked() throws Exception {
        broker().unsubscribeAll(app.stockTopic());
        sellTheOnlyOne(books, SKU, 5);
        awaitPublished();
        long publishedAt = System.nanoTime();
        broker().subscribe(app.stockTopic(), app.stockQueue());

        await("published again").atMost(Duration.ofSeconds(PUBLISH_DEADLINE_S + 60)).pollInterval(Duration.ofMillis(250))
                .until(() -> database.jdbc().queryForObject("SELECT republishes FROM restock_requests WHERE sku = ?", Integer.class, SKU) == 1);
        long republishedAfterS = (System.nanoTime() - publishedAt) / 1_000_000_000;
        await("restocked").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> app.admin("/api/restock-requests?status=FULFILLED").body().size() == 1);
        long fulfilledAfterS = (System.nanoTime() - publishedAt) / 1_000_000_000;

        Books.Totals totals = books.assertBalanced(database, mail, () -> app.get("/simulator/api/manufactures").body(), Duration.ofMinutes(1));
        assertThat(totals.fulfilled()).isEqualTo(1);
        assertThat(totals.emails()).isZero();
        assertThat(republishedAfterS).as("seconds from the lost publish to the next").isGreaterThanOrEqualTo(PUBLISH_DEADLINE_S - 1);
        assertThat(app.businessMetrics()).containsEntry("donut_restock_republished_total", 1.0);
        System.out.printf("lost message: published again %d s after the lost publish (deadline %d s), fulfilled after %d s; %s%n",
                republishedAfterS, PUBLISH_DEADLINE_S, fulfilledAfterS, totals);
    }
}
