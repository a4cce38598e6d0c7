package e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A deploy stops the app with SIGTERM while a customer's order and a factory call are in flight
 * and more restock requests wait on the queue. The order is answered, the factory call finishes
 * and is recorded, the app takes nothing more off the queue, and what it left there is ordered
 * by the next instance: no request is lost, interrupted or ordered twice.
 *
 * The factory simulator runs in a process of its own, so it keeps working while the app is down.
 */
class StoppingTheAppFinishesWorkInFlightIT extends PipelineTest {

    private static final List<String> SOLD_OUT = List.of("E2E-STOP-1", "E2E-STOP-2", "E2E-STOP-3");
    private static final String LOCKED = "E2E-STOP-LOCKED";
    // Slow enough to be caught mid-call by the SIGTERM.
    private static final AppProcess FACTORY = AppProcess.standaloneFactory()
            .with("SIMULATOR_LATENCY_MS", "4000")
            .with("SIMULATOR_DELAY_MS", "200");

    private final Books books = new Books();

    StoppingTheAppFinishesWorkInFlightIT() {
        super(FACTORY.start().asFactoryOf(Map.of(
                "FACTORY_CONSUMERS", "1",
                "FACTORY_TIMEOUT_MS", "8000",
                "FACTORY_RETRY_ATTEMPTS", "0",
                "FACTORY_LEASE_S", "12")));
    }

    @AfterAll
    static void stopFactory() {
        FACTORY.close();
    }

    @Test
    void sigtermAnswersTheOrderInFlightFinishesTheFactoryCallAndLeavesTheRestOnTheQueue() throws Exception {
        for (String sku : SOLD_OUT) {
            assertThat(app.putProduct(sku, 1, 4).status()).isEqualTo(201);
            books.stocked(sku, 1);
        }
        assertThat(app.putProduct(LOCKED, 5, 5).status()).isEqualTo(201);
        books.stocked(LOCKED, 5);
        for (String sku : SOLD_OUT) {
            assertThat(app.order(sku, 1).status()).isEqualTo(201);
            books.sold(sku, 1);
        }
        await("one factory call in flight, two requests waiting on the queue").atMost(Duration.ofSeconds(30))
                .until(() -> count("attempts = 1 AND status = 'PUBLISHED'") == 1 && count("attempts = 0 AND status = 'PUBLISHED'") == 2);
        String inFlight = database.jdbc().queryForObject("SELECT id FROM restock_requests WHERE attempts = 1", String.class);

        CompletableFuture<AppProcess.Answer> order;
        try (Connection customerAhead = lockRow(LOCKED)) {
            order = CompletableFuture.supplyAsync(() -> app.order(LOCKED, 1));
            await("the order waits on the locked row").atMost(Duration.ofSeconds(10)).until(() -> database.jdbc().queryForObject(
                    "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'", Integer.class) == 1);

            app.terminate();
            await("the app begins to shut down").atMost(Duration.ofSeconds(10)).until(() -> app.log().contains("is shutting down"));
            customerAhead.rollback();
        }

        AppProcess.Answer answer = order.get();
        assertThat(answer.status()).as("the order in flight at SIGTERM").isEqualTo(201);
        assertThat(answer.body().get("remainingStock").asInt()).isEqualTo(4);
        books.sold(LOCKED, 1);
        app.awaitExit(Duration.ofSeconds(30));

        assertThat(database.jdbc().queryForObject("SELECT status FROM restock_requests WHERE id = ?", String.class, inFlight))
                .as("the factory call in flight at SIGTERM was finished and recorded").isEqualTo("ORDERED");
        assertThat(count("attempts = 0 AND status = 'PUBLISHED'")).as("requests the stopping app did not take").isEqualTo(2);
        assertThat(broker().messagesOn(app.stockQueue())).as("messages left on the queue for the next instance").isEqualTo(2);

        app.start();
        Books.Totals totals = books.assertBalanced(database, mail, () -> FACTORY.get("/simulator/api/manufactures").body(), Duration.ofMinutes(1));
        assertThat(count("status = 'FULFILLED'")).isEqualTo(SOLD_OUT.size());
        assertThat(app.log()).doesNotContain("dead-lettered").doesNotContain("is overdue");
        System.out.printf("graceful shutdown: order in flight answered %d, factory call in flight recorded, 2 messages left on"
                + " the queue and ordered after the restart; %s%n", answer.status(), totals);
    }

    private int count(String condition) {
        return database.jdbc().queryForObject("SELECT COUNT(*) FROM restock_requests WHERE " + condition, Integer.class);
    }

    /** Another transaction holding the product's row, so that the app's order waits for it. */
    private Connection lockRow(String sku) throws Exception {
        Connection connection = database.jdbc().getDataSource().getConnection();
        connection.setAutoCommit(false);
        try (PreparedStatement lock = connection.prepareStatement("SELECT stock FROM products WHERE sku = ? FOR UPDATE")) {
            lock.setString(1, sku);
            lock.executeQuery().close();
        }
        return connection;
    }
}
