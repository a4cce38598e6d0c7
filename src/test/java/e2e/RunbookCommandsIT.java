package e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every aws CLI command of deploy/RUNBOOK.md that the emulator can answer, run as written against
 * a stack the app made, in the situation the runbook's DLQ sections are about: a restock FAILED
 * while the mail server was down and no instance runs, so its dead letter waits on stock-dlq. Each
 * ```bash block that calls aws runs after the runbook's "Before you start" block, in document
 * order, with an `aws` that is the machine's CLI pointed at the test's emulator; a block or a
 * single call that fails fails the test. The runbook's receive/send/delete procedure moves the
 * dead letter back, and the app, started again with the factory working, sends the request again
 * and restocks it. Blocks for AWS itself (ECS, CloudWatch, Secrets Manager, SQS's move tasks:
 * {@link #NEEDS_AWS}) call nothing else and are checked for their shell syntax only.
 */
class RunbookCommandsIT extends PipelineTest {

    private static final Path RUNBOOK = Path.of("deploy/RUNBOOK.md");
    private static final Pattern FENCED_BLOCK = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```");
    private static final Pattern AWS_CALL = Pattern.compile("(?<![\\w-])aws\\s+([a-z0-9-]+)\\s+([a-z0-9-]+)");
    private static final String SKU = "E2E-RUNBOOK";
    /**
     * The runbook's calls that need AWS itself: services the emulator does not have, and SQS's
     * move tasks, which neither fauxqs nor Debian's awscli 2.9 knows. Each is listed here on
     * purpose, so that a command the emulator could run is never left out by accident.
     */
    private static final Set<String> NEEDS_AWS = Set.of(
            "application-autoscaling describe-scalable-targets", "application-autoscaling register-scalable-target",
            "cloudformation deploy", "cloudformation describe-stacks",
            "cloudwatch describe-alarms", "cloudwatch get-metric-statistics",
            "ecs describe-services", "ecs describe-tasks", "ecs execute-command", "ecs list-task-definitions", "ecs list-tasks",
            "ecs update-service", "ecs wait",
            "elbv2 describe-target-health", "logs tail", "rds describe-db-instances", "rds describe-events",
            "secretsmanager get-random-password", "secretsmanager get-secret-value", "secretsmanager put-secret-value",
            "sqs list-message-move-tasks", "sqs start-message-move-task", "ssm start-session");

    private final Books books = new Books();

    RunbookCommandsIT() {
        super(Map.of("SIMULATOR_FAILURE_RATE", "1"));
    }

    @Test
    void everyAwsCommandOfTheRunbookRunsAndItsDeadLetterMoveSendsTheRequestAgain() throws IOException {
        List<String> blocks = new ArrayList<>();
        List<String> forAws = new ArrayList<>();
        for (String block : awsBlocks(Files.readString(RUNBOOK))) {
            Set<String> calls = awsCalls(block);
            if (calls.stream().anyMatch(NEEDS_AWS::contains)) {
                assertThat(calls).as("a block for AWS itself calls nothing the emulator could answer:%n%s", block).isSubsetOf(NEEDS_AWS);
                forAws.add(block);
            } else {
                blocks.add(block);
            }
        }
        Set<String> needed = new TreeSet<>();
        forAws.forEach(block -> needed.addAll(awsCalls(block)));
        assertThat(needed).as("calls listed as needing AWS that the runbook makes").isEqualTo(new TreeSet<>(NEEDS_AWS));
        String setup = blocks.get(0);
        assertThat(setup).as("the first block sets up the names").contains("QUEUE_URL=").contains("DLQ_URL=").contains("TOPIC_ARN=");
        Set<String> commands = new TreeSet<>();
        blocks.forEach(block -> commands.addAll(awsCalls(block)));
        assertThat(commands).contains("sqs receive-message", "sqs send-message", "sqs delete-message", "sqs get-queue-attributes");

        mail.stop();
        sellTheOnlyOne(books, SKU, 4);
        await("the request FAILED, its alert not mailed").atMost(Duration.ofSeconds(60))
                .until(() -> app.admin("/api/restock-requests?status=FAILED").body().size() == 1);
        String requestId = app.admin("/api/restock-requests").body().get(0).get("id").asText();
        app.close();
        await("the dead letter waiting on the DLQ, no instance reading it").atMost(Duration.ofSeconds(30))
                .until(() -> broker().peek(app.stockDlq()).size() == 1);

        AwsCli cli = new AwsCli(broker());
        for (String block : forAws) {
            AwsCli.Result syntax = cli.run("bash -n -c \"$RUNBOOK_BLOCK\"", Map.of("RUNBOOK_BLOCK", block));
            assertThat(syntax.exitCode()).as("bash -n of the runbook block%n%s%nwhich printed%n%s", block, syntax.output()).isZero();
        }
        Path calls = Logs.file("runbook-aws-calls-" + UUID.randomUUID());
        Map<String, String> variables = new HashMap<>();
        variables.put("PATH", cli.asAws(calls) + ":" + cli.environment().get("PATH"));
        // As the task definition gives them to the app (deploy/cloudformation.yaml): by ARN.
        variables.put("STOCK_TOPIC", Emulator.arn("sns", app.stockTopic()));
        variables.put("STOCK_QUEUE", Emulator.arn("sqs", app.stockQueue()));
        variables.put("STOCK_DLQ", Emulator.arn("sqs", app.stockDlq()));
        List<String> outputs = new ArrayList<>();
        for (String block : blocks) {
            String script = "set -euo pipefail\n" + setup + (block.equals(setup) ? "" : "\n" + block);
            AwsCli.Result result = cli.run(script, variables);
            assertThat(result.exitCode()).as("exit code of the runbook block%n%s%nwhich printed%n%s", block, result.output()).isZero();
            outputs.add(result.output());
        }

        List<String> logged = Files.readAllLines(calls);
        assertThat(logged).as("every aws call the runbook made, with its exit code").isNotEmpty()
                .allSatisfy(call -> assertThat(call).startsWith("0 "));
        for (String command : commands) {
            assertThat(logged).as("a run of `aws %s`", command).anyMatch(call -> call.startsWith("0 " + command + " "));
        }
        String peek = outputs.get(indexOf(blocks, "--visibility-timeout 0"));
        assertThat(peek).as("what ops see of the dead letter").contains(requestId).contains("retries_exhausted").contains("503");
        assertThat(outputs.get(indexOf(blocks, "send-message"))).contains("moved 1 dead letter(s)");
        assertThat(broker().messagesOn(app.stockDlq())).isZero();
        assertThat(broker().messagesOn(app.stockQueue())).isEqualTo(1);

        // The factory works again and an instance runs: the moved-back letter sends the request again once.
        mail.start();
        app.restartWith(Map.of("SIMULATOR_FAILURE_RATE", "0"));
        Books.Totals totals = books.assertBalanced(database, mail, () -> app.get("/simulator/api/manufactures").body(), Duration.ofMinutes(1));
        assertThat(totals.fulfilled()).isEqualTo(1);
        assertThat(totals.emails()).as("emails about a failure sent again before it was mailed").isZero();
        System.out.printf("runbook: %d aws commands in %d blocks, %d calls, all exit 0 with %s; the dead letter moved back and restocked; %s;"
                        + " %d blocks for AWS itself (%d commands) parse%n",
                commands.size(), blocks.size(), logged.size(), cli.version(), totals, forAws.size(), needed.size());
    }

    /** The ```bash blocks that call the aws CLI, in document order; no other fenced block may call it. */
    private static List<String> awsBlocks(String runbook) {
        List<String> blocks = new ArrayList<>();
        Matcher block = FENCED_BLOCK.matcher(runbook);
        while (block.find()) {
            if (awsCalls(block.group(2)).isEmpty()) {
                continue;
            }
            assertThat(block.group(1)).as("the fence of a block with aws commands, which only ```bash blocks are run:%n%s", block.group(2))
                    .isEqualTo("bash");
            blocks.add(block.group(2));
        }
        assertThat(blocks).as("```bash blocks with aws commands in %s", RUNBOOK).isNotEmpty();
        return blocks;
    }

    /** "service operation" of every aws call in a piece of shell. */
    private static Set<String> awsCalls(String shell) {
        Set<String> calls = new TreeSet<>();
        Matcher call = AWS_CALL.matcher(shell.replaceAll("\\\\\\n\\s*", " "));
        while (call.find()) {
            calls.add(call.group(1) + " " + call.group(2));
        }
        return calls;
    }

    private static int indexOf(List<String> blocks, String text) {
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no runbook block with " + text);
    }
}
