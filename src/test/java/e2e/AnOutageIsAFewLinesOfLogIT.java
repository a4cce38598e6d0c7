package e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SNS and SQS gone for a minute (nothing listens at the broker's address), and the database gone
 * for a minute, while customers keep ordering: the log says so in a few lines (operations.Outages),
 * never with a stack trace; the failed calls are counted in donut_dependency_failures_total; and
 * everything goes on once the dependency is back. A replica started while the broker is gone, given
 * the topic and queues by ARN as the deploy's task definition gives them, is ready and sells at once,
 * and its restock pipeline runs once the broker answers; all along it asks SNS and SQS only what
 * the stack's IAM policy grants (deploy/iam-policy.json). On the app's production defaults for every
 * poll and back-off (docs/operations.md, "Outages").
 */
class AnOutageIsAFewLinesOfLogIT {

    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final int MOST_WARNINGS = 20;
    /** A line the app's text log format starts (logback-text.xml); any other is part of a stack trace. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) .*");
    private static final Pattern WARNING = Pattern.compile("^\\S+ (WARN |ERROR) .*");
    /** SQS names the action in a header (the AWS JSON protocol; socat -v writes its CR as \r), SNS in its form body (the query protocol). */
    private static final Pattern SQS_ACTION = Pattern.compile("(?i)X-Amz-Target: AmazonSQS\\.(\\w+)\\\\r");
    private static final Pattern SNS_ACTION = Pattern.compile("Action=(\\w+)&Version=");

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
    void aMinuteWithoutTheBrokerIsAFewLinesAndTheStockOutMeanwhileIsRestockedAfter() throws Exception {
        Emulator broker = Emulator.shared();
        proxy = TcpProxy.to(broker.port());
        app = new AppProcess(database, broker, mail).onRunShDefaults()
                .with("AWS_ENDPOINT_URL", "http://127.0.0.1:" + proxy.port()).start();
        assertThat(app.putProduct("E2E-QUIET-OUT", 1, 5).status()).isEqualTo(201);
        assertThat(app.putProduct("E2E-QUIET-ON", 1_000_000, 5).status()).isEqualTo(201);

        String segment;
        long backAt;
        try (OrderLoad load = OrderLoad.trickle(app, List.of("E2E-QUIET-ON"), 2, Duration.ofMillis(500))) {
            int mark = app.log().length();
            proxy.refuse();
            assertThat(app.order("E2E-QUIET-OUT", 1).status()).as("the last donut, sold while the broker is gone").isEqualTo(201);
            await("the outage").pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(1)).until(() -> true);
            segment = app.log().substring(mark);
            proxy.forward();
            backAt = System.nanoTime();
            assertThat(load.orders()).as("sales while the broker is gone").allSatisfy(o -> assertThat(o.status()).isEqualTo(201));
        }
        await("the stock-out restocked").atMost(Duration.ofMinutes(2)).until(() -> database.stockOf("E2E-QUIET-OUT") == 5);
        long restockedAfterMs = (System.nanoTime() - backAt) / 1_000_000;

        Map<String, Double> metrics = app.businessMetrics();
        report("broker", segment, restockedAfterMs, metrics);
        holdsTheLogToAFewLines(segment);
        assertThat(segment).contains("sqs does not answer").contains("sns does not answer");
        assertThat(metrics.get("donut_dependency_failures_total{dependency=\"sns\"}")).as("failed SNS calls counted").isPositive();
        assertThat(metrics.get("donut_dependency_failures_total{dependency=\"sqs\"}")).as("failed SQS calls counted").isPositive();
    }

    @Test
    void aReplicaStartedWithoutTheBrokerSellsAndRestocksOnceItIsBack() throws IOException {
        Emulator broker = Emulator.shared();
        // The stack, as the deploy's owns it: made by a first instance, which then stops.
        AppProcess stackOwner = new AppProcess(database, broker, mail).onRunShDefaults().start();
        assertThat(stackOwner.putProduct("E2E-ARN-OUT", 1, 5).status()).isEqualTo(201);
        stackOwner.close();

        proxy = TcpProxy.recordingTo(broker.port());
        proxy.refuse();
        app = stackOwner.replica().byArn(broker).with("AWS_ENDPOINT_URL", "http://127.0.0.1:" + proxy.port()).start();

        assertThat(app.order("E2E-ARN-OUT", 1).status()).as("the last donut, sold while the broker is gone").isEqualTo(201);
        await("the app finding the broker gone").atMost(Duration.ofMinutes(1))
                .until(() -> app.log().contains("sns does not answer") && app.log().contains("sqs does not answer"));
        assertThat(database.stockOf("E2E-ARN-OUT")).isZero();

        proxy.forward();
        await("the stock-out restocked").atMost(Duration.ofMinutes(2)).until(() -> database.stockOf("E2E-ARN-OUT") == 5);
        holdsTheLogToAFewLines(app.log());
        // The dependency checks (every HEALTH_CHECK_MS) ask SNS and SQS too: one round of them once the broker answers.
        await("the dependency checks asking the broker").atMost(Duration.ofMinutes(1))
                .until(() -> awsActionsIn(proxy.traffic()).contains("sqs:GetQueueAttributes"));
        assertThat(awsActionsIn(proxy.traffic())).as("what the replica asked SNS and SQS")
                .contains("sns:Publish", "sqs:ReceiveMessage", "sqs:DeleteMessage")
                .isSubsetOf(grantedByTheStack());
    }

    private static Set<String> awsActionsIn(String traffic) {
        return Stream.concat(SQS_ACTION.matcher(traffic).results().map(match -> "sqs:" + match.group(1)),
                        SNS_ACTION.matcher(traffic).results().map(match -> "sns:" + match.group(1)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> grantedByTheStack() throws IOException {
        Set<String> granted = new TreeSet<>();
        for (JsonNode statement : new ObjectMapper().readTree(Path.of("deploy/iam-policy.json").toFile()).path("Statement")) {
            statement.path("Action").forEach(action -> granted.add(action.asText()));
        }
        return granted;
    }

    @Test
    void aMinuteWithoutTheDatabaseIsAFewLinesAndOrdersSellOnceItIsBack() throws Exception {
        app = new AppProcess(database, Emulator.shared(), mail).onRunShDefaults().start();
        assertThat(app.putProduct("E2E-QUIET-DB", 1_000_000, 5).status()).isEqualTo(201);

        String segment;
        long backAt;
        try (OrderLoad load = OrderLoad.trickle(app, List.of("E2E-QUIET-DB"), 2, Duration.ofMillis(500))) {
            await("orders selling").atMost(Duration.ofSeconds(30)).until(() -> !load.ordersWhere(o -> o.status() == 201).isEmpty());
            int mark = app.log().length();
            database.stopServer();
            try {
                await("the outage").pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(1)).until(() -> true);
                segment = app.log().substring(mark);
            } finally {
                database.startServer();
            }
            long back = load.nowMs();
            backAt = System.nanoTime();
            await("orders selling again").atMost(Duration.ofSeconds(60))
                    .until(() -> !load.ordersWhere(o -> o.atMs() > back && o.status() == 201).isEmpty());
            assertThat(load.orders()).as("answers while the database is gone").allSatisfy(o -> assertThat(o.status()).isIn(201, 503));
        }
        long sellsAfterMs = (System.nanoTime() - backAt) / 1_000_000;

        Map<String, Double> metrics = app.businessMetrics();
        report("database", segment, sellsAfterMs, metrics);
        holdsTheLogToAFewLines(segment);
        assertThat(segment).contains("database does not answer");
        assertThat(metrics.get("donut_dependency_failures_total{dependency=\"database\"}")).as("failed database calls counted").isPositive();
    }

    private static void holdsTheLogToAFewLines(String segment) {
        List<String> lines = segment.lines().toList();
        assertThat(lines.stream().filter(line -> !LOG_LINE.matcher(line).matches()))
                .as("stack-trace lines in the minute of the outage").isEmpty();
        assertThat(lines.stream().filter(line -> WARNING.matcher(line).matches()))
                .as("WARN and ERROR lines in the minute of the outage").hasSizeLessThanOrEqualTo(MOST_WARNINGS);
    }

    private static void report(String dependency, String segment, long recoveredAfterMs, Map<String, Double> metrics) {
        List<String> lines = segment.lines().toList();
        System.out.printf("%d s without the %s: %d log lines, %d WARN/ERROR, %d stack-trace lines; back to work %d ms after it answered;"
                        + " failures counted %s%n", OUTAGE.toSeconds(), dependency, lines.size(),
                lines.stream().filter(line -> WARNING.matcher(line).matches()).count(),
                lines.stream().filter(line -> !LOG_LINE.matcher(line).matches()).count(), recoveredAfterMs,
                metrics.entrySet().stream().filter(e -> e.getKey().startsWith("donut_dependency_failures_total")).toList());
        lines.stream().filter(line -> WARNING.matcher(line).matches()).forEach(line -> System.out.println("  " + line));
    }
}
