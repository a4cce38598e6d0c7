package e2e;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app is killed with SIGKILL five times, at moments picked by the traffic, while customers
 * buy and products sell out, and is started again each time. Customers whose answer was cut off
 * send the same order again with its Idempotency-Key, as the contract tells them to. Afterwards
 * the books balance and no request is left on its way.
 *
 * The factory simulator runs in a process of its own (another instance of the jar that only
 * simulates), so the record of the orders it took survives every kill.
 */
class KilledAppLosesNothingIT extends PipelineTest {

    private static final int PRODUCTS = 10;
    private static final int STOCK = 6;
    private static final int KILLS = 5;
    private static final int CUSTOMERS = 6;
    private static final AppProcess FACTORY = AppProcess.standaloneFactory().with("SIMULATOR_DELAY_MS", "500");

    private final Books books = Books.withTheMailWindowOfAKill();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger outOfStock = new AtomicInteger();
    private final AtomicInteger retriedAfterCutOff = new AtomicInteger();

    KilledAppLosesNothingIT() {
        super(FACTORY.start().asFactoryOf(Map.of(
                // A crash leaves a lease behind, which runs out quickly here (before the message is
                // visible again after the default visibility timeout), and an overdue delivery is
                // noticed within seconds: five crashes would otherwise take many minutes to settle.
                "FACTORY_LEASE_S", "8",
                "FACTORY_DELIVERY_DEADLINE_S", "15",
                "FACTORY_DEADLINE_CHECK_MS", "1000")));
    }

    @AfterAll
    static void stopFactory() {
        FACTORY.close();
    }

    @Test
    void afterFiveKillsTheBooksBalanceAndNoRequestIsStuck() throws Exception {
        for (int i = 0; i < PRODUCTS; i++) {
            assertThat(app.putProduct(sku(i), STOCK, STOCK).status()).isEqualTo(201);
            books.stocked(sku(i), STOCK);
        }
        ExecutorService customers = Executors.newFixedThreadPool(CUSTOMERS);
        List<Future<?>> shopping = new ArrayList<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            shopping.add(customers.submit(this::shopUntilClosed));
        }

        List<Long> restartMillis = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
            int moment = answered.get() + ThreadLocalRandom.current().nextInt(15, 60);
            await("order answers before kill " + (kill + 1)).dontCatchUncaughtExceptions().atMost(Duration.ofMinutes(1)).until(() -> answered.get() >= moment);
            app.crash();
            long down = System.nanoTime();
            app.start();
            restartMillis.add((System.nanoTime() - down) / 1_000_000);
        }
        int moment = answered.get() + 30;
        await("orders after the last restart").dontCatchUncaughtExceptions().atMost(Duration.ofMinutes(1)).until(() -> answered.get() >= moment);
        open.set(false);
        for (Future<?> customer : shopping) {
            customer.get();
        }
        customers.shutdown();

        Books.Totals totals = books.assertBalanced(database, mail, () -> FACTORY.get("/simulator/api/manufactures").body(), Duration.ofMinutes(3));
        System.out.printf("crash: %d SIGKILLs (restart to ready %s ms), %d orders answered (%d out of stock, %d sent again after a"
                        + " cut-off answer), %s%n",
                KILLS, restartMillis, answered.get(), outOfStock.get(), retriedAfterCutOff.get(), totals);
        assertThat(totals.requests()).as("stock-outs during the run").isGreaterThanOrEqualTo(PRODUCTS);
    }

    private void shopUntilClosed() {
        while (open.get()) {
            String sku = sku(ThreadLocalRandom.current().nextInt(PRODUCTS));
            int quantity = ThreadLocalRandom.current().nextInt(1, 4);
            AppProcess.Answer answer = orderUntilAnswered(sku, quantity, UUID.randomUUID().toString());
            if (answer.status() == 201) {
                books.sold(sku, quantity);
            } else {
                outOfStock.incrementAndGet();
            }
            answered.incrementAndGet();
        }
    }

    /** Sends the same order (same key) until the app gives a definite answer; a kill cuts the connection off. */
    private AppProcess.Answer orderUntilAnswered(String sku, int quantity, String idempotencyKey) {
        AtomicReference<AppProcess.Answer> answer = new AtomicReference<>();
        AtomicInteger tries = new AtomicInteger();
        // A kill in the middle of an SMTP conversation makes the mail server's thread fail; that is not this customer's concern.
        await("an answer to order " + idempotencyKey).dontCatchUncaughtExceptions().atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> {
                    tries.incrementAndGet();
                    AppProcess.Answer attempt = app.order(sku, quantity, idempotencyKey);
                    // 503: started but the database or pool is not there yet; anything else must be an answer.
                    if (attempt.status() == 503) {
                        return false;
                    }
                    assertThat(attempt.status()).as("order %s: %s", idempotencyKey, attempt.body()).isIn(201, 409);
                    answer.set(attempt);
                    return true;
                });
        if (tries.get() > 1) {
            retriedAfterCutOff.incrementAndGet();
        }
        return answer.get();
    }

    private static String sku(int i) {
        return "E2E-CRASH-" + i;
    }
}
