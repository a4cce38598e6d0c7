package e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three replicas behind a load balancer take orders from several customers while products sell
 * out and are restocked through the factory, whose callbacks come back through the balancer (one
 * PUBLIC_BASE_URL). One replica is killed (SIGKILL) and started again; then all three are
 * restarted one after the other as a deploy does: SIGTERM, wait for it to exit, start it, wait until
 * the balancer sends it requests, next (docs/operations.md, "Stopping"; docs/design.md rule 9).
 *
 * Every order is answered 201 or 409, or 503 in the error shape with Retry-After; no customer is
 * left without an answer or gets one that is not JSON; asked directly, a replica never answers
 * HTML or an empty body while it starts or stops. A customer whose kept-alive connection closes
 * without an answer sends the order once more on a new one, with the same Idempotency-Key, as an
 * HTTP client may (RFC 9112, 9.3.1): HAProxy closes a client's connection so when the replica
 * behind it died under a request it was sending (its "safe" connection reuse leaves that retry to
 * the client). That may happen at the SIGKILL only, never during the rolling restart. The books balance, every restock request is
 * FULFILLED (a request whose factory call was cut off by the kill may end FAILED with one email,
 * order_interrupted, as docs/design.md, "A crash never orders twice", says; nothing else may), and
 * the topic carried one publish per request.
 *
 * On the production defaults of what it is about: SHUTDOWN_DRAIN_S, SHUTDOWN_TIMEOUT_S, and the
 * balancer's health check as deploy/README.md sets the target group (readiness on each replica's
 * management port, as the image runs it, every 5 s, 3 s timeout, out after 2 failures, back after
 * 2 passes). Shortened, because the test is not about them: the
 * pipeline's polls and retries (AppProcess), the factory's delivery time, and the lease a killed
 * consumer leaves behind (AppProcess's 20 s instead of 180 s).
 */
class RollingRestartLosesNoRequestIT {

    private static final int REPLICAS = 3;
    private static final int PRODUCTS = 6;
    private static final int STOCK = 40;
    private static final int CUSTOMERS = 4;
    /** A customer's pause between two orders: paces the load (at most 40 orders/s), it waits for nothing. */
    private static final Duration THINK_TIME = Duration.ofMillis(100);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);
    private static final int CHECK_FALL = 2;
    private static final int CHECK_RISE = 2;
    /** The defaults of SHUTDOWN_DRAIN_S and SHUTDOWN_TIMEOUT_S, which the replicas run with. */
    private static final Duration DRAIN = Duration.ofSeconds(defaultOf("SHUTDOWN_DRAIN_S"));
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(defaultOf("SHUTDOWN_TIMEOUT_S"));
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The serial collector, as jvm.options runs production, and the C1 compiler only: the test is
     * about stops and starts, not throughput, and on a busy two-core machine C2's compiler threads
     * double the time every start takes (about 20 s instead of 40 s at a load of 12).
     */
    private static final String JVM_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private static final Pattern STOP_PHASE = Pattern.compile("Stop: the consumers have stopped .*, (\\d+\\.\\d+) s after the stop began");

    /** One stop of the rolling restart, in ms after the SIGTERM; -1 when not seen. */
    record Stop(int replica, long readinessDown, long balancerDown, long consumersStopped, long exited, long backBehindBalancer) {
        @Override
        public String toString() {
            return "app%d: readiness DOWN %d ms, balancer DOWN %d ms, consumers stopped %d ms, exit %d ms, back behind the balancer %d ms"
                    .formatted(replica + 1, readinessDown, balancerDown, consumersStopped, exited, backBehindBalancer);
        }
    }

    private final Database database = Database.newSchema();
    private final MailServer mail = new MailServer().start();
    private final Emulator emulator = Emulator.shared();
    // The legacy factory in a process of its own (its record of orders survives every restart),
    // calling back through the balancer; 0.5 s to deliver instead of 3 s.
    private final AppProcess factory = AppProcess.standaloneFactory().with("SIMULATOR_DELAY_MS", "500")
            .with("JAVA_TOOL_OPTIONS", JVM_OPTIONS);
    private final LoadBalancer balancer = new LoadBalancer(new AppProcess(database, emulator, mail)
            .onDefault("SHUTDOWN_DRAIN_S")
            .withManagementPort()
            .with("JAVA_TOOL_OPTIONS", JVM_OPTIONS)
            .with("FACTORY_SIMULATOR", "off")
            .with("FACTORY_URL", factory.baseUrl() + "/simulator"), REPLICAS)
            .checking(CHECK_INTERVAL, CHECK_FALL, CHECK_RISE);
    private final Books books = Books.withTheMailWindowOfAKill();

    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger sold = new AtomicInteger();
    private final AtomicInteger outOfStock = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicInteger connectionErrors = new AtomicInteger();
    private final AtomicInteger notJson = new AtomicInteger();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final List<String> noAnswers = new CopyOnWriteArrayList<>();
    private final List<String> sentAgain = new CopyOnWriteArrayList<>();
    private volatile String phase = "warm-up";
    private volatile long began;
    private final Map<String, AtomicInteger> directAnswers = new ConcurrentHashMap<>();
    private final List<String> directFailures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopEverything() {
        open.set(false);
        // The stops are what the test was about; these need not drain for SHUTDOWN_DRAIN_S each.
        balancer.replicas().stream().filter(AppProcess::running).forEach(AppProcess::crash);
        balancer.close();
        factory.close();
        mail.close();
    }

    @Test
    void aKilledReplicaAndARollingRestartOfAllThreeUnderLoadFailNoOrderAndLoseNoRestock() throws Exception {
        CompletableFuture<AppProcess> factoryStarted = CompletableFuture.supplyAsync(
                factory.with("PUBLIC_BASE_URL", balancer.baseUrl())::start);
        balancer.start();
        factoryStarted.join();
        String tap = emulator.tap(balancer.replica(0).stockTopic());
        for (int i = 0; i < PRODUCTS; i++) {
            assertThat(balancer.putProduct(sku(i), STOCK, STOCK).status()).isEqualTo(201);
            books.stocked(sku(i), STOCK);
        }
        began = System.nanoTime();

        ExecutorService clients = Executors.newFixedThreadPool(CUSTOMERS + 1);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            running.add(clients.submit(this::shopUntilClosed));
        }
        running.add(clients.submit(this::askEachReplicaDirectlyUntilClosed));
        awaitAnswers(100);

        AppProcess killed = balancer.replica(1);
        phase = "SIGKILL app2";
        killed.crash();
        // Calls the killed process had counted and not answered; a call in flight on another replica is in here too, and ends ORDERED.
        Set<String> cutOffByTheKill = new HashSet<>(database.jdbc().queryForList(
                "SELECT id FROM restock_requests WHERE status = 'PUBLISHED' AND calls_under_lease > 0", String.class));
        killed.start();
        awaitBehindTheBalancer(killed);
        phase = "after the SIGKILL";
        awaitAnswers(100);

        List<Stop> stops = new ArrayList<>();
        for (int r = 0; r < REPLICAS; r++) {
            phase = "rolling restart of app" + (r + 1);
            stops.add(restart(r));
            phase = "after the rolling restart of app" + (r + 1);
            awaitAnswers(50);
        }
        open.set(false);
        for (Future<?> client : running) {
            client.get(1, TimeUnit.MINUTES);
        }
        clients.shutdown();
        long loadSeconds = (System.nanoTime() - began) / 1_000_000_000;
        long settling = System.nanoTime();

        Books.Totals totals = books.assertBalanced(database, mail, () -> factory.get("/simulator/api/manufactures").body(),
                Duration.ofMinutes(2));
        List<Map<String, Object>> failed = database.jdbc().queryForList(
                "SELECT id, last_error FROM restock_requests WHERE status = 'FAILED'");
        int requests = database.jdbc().queryForObject("SELECT COUNT(*) FROM restock_requests", Integer.class);
        int republished = database.jdbc().queryForObject("SELECT COALESCE(SUM(republishes), 0) FROM restock_requests", Integer.class);
        List<Message> publishes = emulator.receiveAll(tap);
        long settleSeconds = (System.nanoTime() - settling) / 1_000_000_000;
        Set<String> published = new HashSet<>();
        for (Message publish : publishes) {
            published.add(JSON.readTree(JSON.readTree(publish.body()).path("Message").asText()).path("requestId").asText());
        }

        System.out.printf("rolling restart: %d s of load, %d orders answered: %d sold (201), %d out of stock (409), %d unavailable"
                        + " (503 with Retry-After), %d connection errors, %d not JSON, %d other, %d sent again %s; asked directly: %s;"
                        + " SIGKILL cut %d factory calls off; %s; %d publishes for %d requests (%d republished); books checked in %d s%n",
                loadSeconds, answered.get(), sold.get(), outOfStock.get(), unavailable.get(), connectionErrors.get(), notJson.get(),
                unexpected.size(), sentAgain.size(), sentAgain, directAnswers, cutOffByTheKill.size(), totals, publishes.size(), requests, republished, settleSeconds);
        stops.forEach(stop -> System.out.println("rolling restart: " + stop));

        assertThat(unexpected).as("answers other than 201, 409 OUT_OF_STOCK or 503 with Retry-After").isEmpty();
        assertThat(noAnswers).as("orders that got no answer, even sent again").isEmpty();
        assertThat(sentAgain).as("orders sent again because a kept-alive connection closed without an answer: only when the"
                + " SIGKILL cut off a connection the balancer had to the killed replica").allSatisfy(order -> assertThat(order).contains("SIGKILL"));
        assertThat(notJson.get()).as("answers that were not JSON").isZero();
        assertThat(directFailures).as("answers of a replica asked directly while it started or stopped").isEmpty();
        assertThat(sold.get()).as("orders sold").isPositive();
        assertThat(requests).as("restock requests: every product sold out repeatedly").isGreaterThanOrEqualTo(3 * PRODUCTS);
        for (Map<String, Object> request : failed) {
            assertThat((String) request.get("id")).as("a FAILED request (%s) must be one whose factory call the kill cut off",
                    request.get("last_error")).isIn(cutOffByTheKill);
            assertThat((String) request.get("last_error")).contains("the app stopped");
        }
        for (Stop stop : stops) {
            assertThat(stop.readinessDown()).as("readiness DOWN after SIGTERM, %s", stop).isBetween(0L, 5_000L);
            assertThat(stop.balancerDown()).as("the balancer takes the replica out while it still serves, %s", stop)
                    .isBetween(0L, DRAIN.toMillis());
            assertThat(stop.consumersStopped()).as("consumers stop once the drain is over, %s", stop)
                    .isGreaterThanOrEqualTo(DRAIN.toMillis());
            assertThat(stop.exited()).as("exit, %s", stop).isBetween(DRAIN.toMillis(), DRAIN.plus(SHUTDOWN_TIMEOUT).toMillis() + 5_000);
        }
        assertThat(published).as("requests published").hasSize(requests);
        assertThat(publishes.size()).as("publishes: one per request, and one per republish after a lost message")
                .isEqualTo(requests + republished);
    }

    /** SIGTERM, then what the replica and the balancer do until it exits; started again, until the balancer sends it requests. */
    private Stop restart(int index) {
        AppProcess replica = balancer.replica(index);
        int logBefore = replica.log().length();
        long sigterm = System.nanoTime();
        replica.terminate();
        long readinessDown = -1;
        long balancerDown = -1;
        while (replica.running()) {
            if (readinessDown < 0 && readiness(replica) != 200) {
                readinessDown = millisSince(sigterm);
            }
            if (balancerDown < 0 && !balancer.upReplicas().contains(replica)) {
                balancerDown = millisSince(sigterm);
            }
            // Polls the process, the replica and HAProxy; not a wait for something that has happened.
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        long exited = millisSince(sigterm);
        Matcher consumers = STOP_PHASE.matcher(replica.log().substring(logBefore));
        long consumersStopped = consumers.find() ? Math.round(Double.parseDouble(consumers.group(1)) * 1000) : -1;
        phase = "app%d starting".formatted(index + 1);
        replica.start();
        phase = "app%d ready, before the balancer sends it requests".formatted(index + 1);
        awaitBehindTheBalancer(replica);
        return new Stop(index, readinessDown, balancerDown, consumersStopped, exited, millisSince(sigterm));
    }

    private void awaitBehindTheBalancer(AppProcess replica) {
        await("the balancer to send requests to the restarted replica").atMost(CHECK_INTERVAL.multipliedBy(CHECK_RISE + 1))
                .pollInterval(Duration.ofMillis(100)).until(() -> balancer.upReplicas().contains(replica));
    }

    private void awaitAnswers(int more) {
        int target = answered.get() + more;
        await(more + " more orders answered").atMost(Duration.ofMinutes(1)).until(() -> answered.get() >= target);
    }

    private void shopUntilClosed() {
        while (open.get()) {
            String sku = sku(ThreadLocalRandom.current().nextInt(PRODUCTS));
            int quantity = ThreadLocalRandom.current().nextInt(1, 3);
            HttpRequest.Builder order = balancer.request("/api/orders").header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"%s\",\"quantity\":%d}".formatted(sku, quantity)));
            HttpResponse<String> answer = null;
            for (int attempt = 1; answer == null && attempt <= 2; attempt++) {
                try {
                    answer = ApiClient.HTTP.send(order.build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    String what = "%d ms, %s: %s".formatted(millisSince(began), phase, e);
                    if (attempt == 1) {
                        sentAgain.add(what);
                    } else {
                        connectionErrors.incrementAndGet();
                        noAnswers.add(what);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (answer != null) {
                classify(answer, sku, quantity);
            }
            answered.incrementAndGet();
            LockSupport.parkNanos(THINK_TIME.toNanos());
        }
    }

    private void classify(HttpResponse<String> answer, String sku, int quantity) {
        JsonNode body = jsonOrNull(answer);
        if (body == null) {
            notJson.incrementAndGet();
            unexpected.add(answer.statusCode() + " " + answer.headers().firstValue("Content-Type").orElse("") + " " + answer.body());
        } else if (answer.statusCode() == 201) {
            books.sold(sku, quantity);
            sold.incrementAndGet();
        } else if (answer.statusCode() == 409 && "OUT_OF_STOCK".equals(body.path("error").asText())) {
            outOfStock.incrementAndGet();
        } else if (retryableUnavailable(answer, body)) {
            unavailable.incrementAndGet();
        } else {
            unexpected.add(answer.statusCode() + " " + answer.body());
        }
    }

    /**
     * A reader asking each replica directly, past the balancer, every 100 ms: whatever a replica
     * answers, starting, serving, draining or stopping, is JSON: 200, or 503 in the error shape with
     * Retry-After. A refused connection (not listening yet, or any more) is no answer.
     */
    private void askEachReplicaDirectlyUntilClosed() {
        while (open.get()) {
            for (AppProcess replica : balancer.replicas()) {
                HttpRequest.Builder read = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.port() + "/api/products/" + sku(0)))
                        .timeout(Duration.ofSeconds(10)).GET();
                Optional<HttpResponse<String>> answer = send(read);
                String kind;
                if (answer.isEmpty()) {
                    kind = "no connection";
                } else {
                    JsonNode body = jsonOrNull(answer.get());
                    if (body != null && answer.get().statusCode() == 200) {
                        kind = "200";
                    } else if (body != null && retryableUnavailable(answer.get(), body)) {
                        kind = "503 " + body.path("message").asText();
                    } else {
                        kind = "failure";
                        directFailures.add("app on port " + replica.port() + ": " + answer.get().statusCode() + " "
                                + answer.get().headers().map() + " " + answer.get().body());
                    }
                }
                directAnswers.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    private static boolean retryableUnavailable(HttpResponse<String> answer, JsonNode body) {
        return answer.statusCode() == 503 && !body.path("error").asText().isBlank() && !body.path("message").asText().isBlank()
                && answer.headers().firstValue("Retry-After").isPresent();
    }

    private static int readiness(AppProcess replica) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.managementPort() + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET()).map(HttpResponse::statusCode).orElse(0);
    }

    private static Optional<HttpResponse<String>> send(HttpRequest.Builder request) {
        try {
            return Optional.of(ApiClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static JsonNode jsonOrNull(HttpResponse<String> answer) {
        if (!answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json") || answer.body().isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            return null;
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** A setting's default, as application.properties gives it. */
    private static long defaultOf(String variable) {
        try {
            Matcher placeholder = Pattern.compile("\\{\\{env:" + variable + ":(\\d+)}}")
                    .matcher(Files.readString(Path.of("src/main/resources/application.properties")));
            if (!placeholder.find()) {
                throw new IllegalStateException("application.properties has no default for " + variable);
            }
            return Long.parseLong(placeholder.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sku(int i) {
        return "E2E-ROLL-" + i;
    }
}
