package e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * localstack/init/ready.d/01-stock-resources.sh, the hook LocalStack runs once it is ready, run
 * here through localstack/bin/awslocal against the test's emulator, with every STOCK_* setting
 * away from its default as docker-compose.yml passes them. The app then starts on what the hook
 * made, with AWS_PROVISION=false as on AWS, and restocks a sell-out.
 */
class LocalstackReadyHookIT extends PipelineTest {

    private static final Path HOOK = Path.of(System.getProperty("localstack.dir", "localstack"))
            .resolve("init/ready.d/01-stock-resources.sh").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SKU = "E2E-HOOK";

    private static AwsCli cli;
    private static Map<String, String> stack;
    private static Path marker;
    private static AwsCli.Result firstRun;

    private final Books books = new Books();

    LocalstackReadyHookIT() {
        super(madeByTheHook());
    }

    /** Runs the hook before the app starts, and gives the app the same settings the hook had. */
    private static Map<String, String> madeByTheHook() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        stack = Map.of(
                "STOCK_TOPIC", "hook-topic-" + suffix,
                "STOCK_QUEUE", "hook-queue-" + suffix,
                "STOCK_DLQ", "hook-dlq-" + suffix,
                "STOCK_QUEUE_RETENTION_S", "86400",
                "STOCK_DLQ_RETENTION_S", "172800",
                "STOCK_QUEUE_VISIBILITY_TIMEOUT_S", "40",
                "STOCK_QUEUE_MAX_RECEIVE_COUNT", "4");
        cli = new AwsCli(Emulator.shared());
        marker = Logs.file("ready-hook-" + suffix).resolveSibling("ready-hook-" + suffix + ".ready");
        firstRun = runHook(Map.of());
        Map<String, String> settings = new HashMap<>(stack);
        settings.put("AWS_PROVISION", "false");
        return settings;
    }

    @Test
    void theHookMakesTheStackTheAppRestocksOnAndMarksItselfDoneOnlyWhenItSucceeded() throws IOException {
        System.out.printf("ready hook with %s%n", cli.version());
        assertThat(firstRun.exitCode()).as("the hook's exit code; its output:%n%s", firstRun.output()).isZero();
        assertThat(marker).as("the marker the compose healthcheck waits for").exists();

        JsonNode queue = attributes(stack.get("STOCK_QUEUE"));
        JsonNode dlq = attributes(stack.get("STOCK_DLQ"));
        assertThat(queue.path("MessageRetentionPeriod").asText()).isEqualTo("86400");
        assertThat(queue.path("VisibilityTimeout").asText()).isEqualTo("40");
        assertThat(dlq.path("MessageRetentionPeriod").asText()).isEqualTo("172800");
        JsonNode redrive = JSON.readTree(queue.path("RedrivePolicy").asText());
        assertThat(redrive.path("deadLetterTargetArn").asText()).isEqualTo(dlq.path("QueueArn").asText());
        assertThat(redrive.path("maxReceiveCount").asText()).isEqualTo("4");
        JsonNode policy = JSON.readTree(queue.path("Policy").asText()).at("/Statement/0");
        assertThat(policy.path("Resource").asText()).isEqualTo(queue.path("QueueArn").asText());
        assertThat(policy.at("/Condition/ArnEquals/aws:SourceArn").asText()).endsWith(":" + stack.get("STOCK_TOPIC"));
        assertThat(redriveAllowPolicy(firstRun.output())).as("the DLQ's RedriveAllowPolicy, as deploy/cloudformation.yaml sets it")
                .isEqualTo(JSON.readTree("""
                        {"redrivePermission": "%s", "sourceQueueArns": ["%s"]}""".formatted(
                        cloudFormationRedriveAllowPolicy().path("redrivePermission").asText(), queue.path("QueueArn").asText())));

        // The app restocks on what the hook made, and created nothing itself.
        sellTheOnlyOne(books, SKU, 6);
        await("the sell-out restocked").atMost(Duration.ofSeconds(60)).until(() -> database.stockOf(SKU) == 6);
        Books.Totals totals = books.assertBalanced(database, mail, () -> app.get("/simulator/api/manufactures").body(), Duration.ofMinutes(1));
        assertThat(totals.fulfilled()).isEqualTo(1);
        assertThat(app.log()).doesNotContain("Provisioned topic");

        // A restart of LocalStack runs the hook again: it changes nothing and succeeds.
        AwsCli.Result again = runHook(Map.of());
        assertThat(again.exitCode()).as("a second run; its output:%n%s", again.output()).isZero();
        assertThat(attributes(stack.get("STOCK_QUEUE")).path("RedrivePolicy")).isEqualTo(queue.path("RedrivePolicy"));

        // A hook that fails leaves no marker, not even one an earlier run wrote: LocalStack stays unhealthy.
        AwsCli.Result failed = runHook(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:" + Ports.free(), "AWS_MAX_ATTEMPTS", "1"));
        assertThat(failed.exitCode()).as("the hook against an emulator that is not there").isNotZero();
        assertThat(marker).doesNotExist();
        System.out.printf("ready hook: the stack made as asked, a sell-out restocked on it with AWS_PROVISION=false; %s%n", totals);
    }

    private static AwsCli.Result runHook(Map<String, String> overrides) {
        Map<String, String> variables = new HashMap<>(stack);
        variables.put("READY_MARKER", marker.toString());
        variables.putAll(overrides);
        return cli.run("bash '" + HOOK + "'", variables);
    }

    private static JsonNode attributes(String queue) throws IOException {
        AwsCli.Result answer = cli.run("""
                url=$(awslocal sqs get-queue-url --queue-name "$QUEUE" --query QueueUrl --output text)
                awslocal sqs get-queue-attributes --queue-url "$url" --attribute-names All --output json""", Map.of("QUEUE", queue));
        assertThat(answer.exitCode()).as("attributes of %s: %s", queue, answer.output()).isZero();
        return JSON.readTree(answer.output()).path("Attributes");
    }

    /** The policy the hook prints before it sets it (fauxqs does not keep the attribute). */
    private static JsonNode redriveAllowPolicy(String output) throws IOException {
        Matcher line = Pattern.compile("(?m)^dead-letter queue redrive allow policy: (.*)$").matcher(output);
        assertThat(line.find()).as("the hook prints the DLQ's redrive allow policy").isTrue();
        return JSON.readTree(line.group(1));
    }

    private static JsonNode cloudFormationRedriveAllowPolicy() {
        try {
            JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deploy/cloudformation.yaml").toFile());
            JsonNode policy = template.at("/Resources/DeadLetterQueue/Properties/RedriveAllowPolicy");
            assertThat(policy.path("sourceQueueArns")).as("CloudFormation lets one queue, stock-queue, dead-letter here").hasSize(1);
            assertThat(policy.at("/sourceQueueArns/0/Fn::Sub").asText()).endsWith(":${QueueName}");
            return policy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
