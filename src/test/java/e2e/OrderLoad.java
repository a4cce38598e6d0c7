package e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Customers ordering without pause, each on a connection of its own, every order with an
 * Idempotency-Key of its own; and a probe asking health every quarter second. Every answer is
 * kept with how long it took and when it came, for a test to hold to its bounds.
 */
final class OrderLoad implements AutoCloseable {

    /** One order's answer. {@code at} is when it came, in ms since the load started. */
    record Sent(String key, String sku, int status, String retryAfter, long tookMs, long atMs) {
    }

    /** One health request's answer. */
    record Asked(String path, int status, long tookMs, long atMs) {
    }

    private final ApiClient app;
    private final List<String> skus;
    private final long started = System.nanoTime();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final ConcurrentLinkedQueue<Sent> orders = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Asked> health = new ConcurrentLinkedQueue<>();
    private final ExecutorService threads;

    private OrderLoad(ApiClient app, List<String> skus, int customers, Duration pause) {
        this.app = app;
        this.skus = skus;
        this.threads = Executors.newFixedThreadPool(customers + 1);
        for (int i = 0; i < customers; i++) {
            int customer = i;
            threads.submit(() -> order(customer, pause));
        }
        threads.submit(this::askHealth);
    }

    /** Customers ordering one after another without pause, spread over the SKUs. */
    static OrderLoad of(ApiClient app, List<String> skus, int customers) {
        return new OrderLoad(app, skus, customers, Duration.ZERO);
    }

    /** Customers ordering with a pause between orders: a steady trickle. */
    static OrderLoad trickle(ApiClient app, List<String> skus, int customers, Duration pause) {
        return new OrderLoad(app, skus, customers, pause);
    }

    long nowMs() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    List<Sent> orders() {
        return List.copyOf(orders);
    }

    List<Sent> ordersWhere(Predicate<Sent> which) {
        return orders.stream().filter(which).toList();
    }

    List<Asked> health() {
        return List.copyOf(health);
    }

    @Override
    public void close() throws InterruptedException {
        open.set(false);
        threads.shutdown();
        if (!threads.awaitTermination(2, TimeUnit.MINUTES)) {
            threads.shutdownNow();
            throw new IllegalStateException("Orders still unanswered two minutes after the load stopped");
        }
    }

    private void order(int customer, Duration pause) {
        int n = 0;
        while (open.get()) {
            String sku = skus.get((customer + n++) % skus.size());
            String key = "load-" + UUID.randomUUID();
            long start = System.nanoTime();
            int status;
            String retryAfter = null;
            try {
                ApiClient.Answer answer = app.order(sku, 1, key);
                status = answer.status();
                retryAfter = answer.headers().firstValue("Retry-After").orElse(null);
            } catch (RuntimeException noAnswer) {
                // No answer within the client's 30 s: what a bound is there to prevent.
                status = -1;
            }
            long end = System.nanoTime();
            orders.add(new Sent(key, sku, status, retryAfter, (end - start) / 1_000_000, (end - started) / 1_000_000));
            pauseFor(pause);
        }
    }

    private void askHealth() {
        while (open.get()) {
            for (String path : List.of("/observe/health/ready", "/observe/health/live", "/observe/health")) {
                long start = System.nanoTime();
                int status;
                try {
                    status = ApiClient.send(app.managementRequest(path).timeout(Duration.ofSeconds(10)).GET()).status();
                } catch (RuntimeException timedOut) {
                    status = -1;
                }
                long end = System.nanoTime();
                health.add(new Asked(path, status, (end - start) / 1_000_000, (end - started) / 1_000_000));
            }
            pauseFor(Duration.ofMillis(250));
        }
    }

    private static void pauseFor(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The longest wait among these, in ms. */
    static long longest(List<? extends Record> answers) {
        List<Long> took = new ArrayList<>();
        for (Record answer : answers) {
            took.add(answer instanceof Sent sent ? sent.tookMs() : ((Asked) answer).tookMs());
        }
        return took.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
