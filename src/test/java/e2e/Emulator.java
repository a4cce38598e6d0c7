package e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Topic;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import static org.awaitility.Awaitility.await;

/**
 * The SNS/SQS emulator (fauxqs, pinned in localstack/package.json), always one of the test run's
 * own on a free port, so that a developer's ./run.sh on :4566 (or another test run) can come and
 * go without touching it. The shared instance serves every test; a dedicated one is for tests
 * that freeze the broker.
 */
final class Emulator implements AutoCloseable {

    static final String REGION = "ap-northeast-2";
    /** The account the emulator files every topic and queue under. */
    private static final String ACCOUNT = "000000000000";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Emulator shared;

    private final int port;
    private final Process process;
    private final SqsClient sqs;
    private final SnsClient sns;

    private Emulator(int port, Process process) {
        this.port = port;
        this.process = process;
        this.sqs = SqsClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        this.sns = SnsClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    /** The ARN the emulator gives a topic ("sns") or queue ("sqs") of this name. */
    static String arn(String service, String name) {
        return "arn:aws:" + service + ":" + REGION + ":" + ACCOUNT + ":" + name;
    }

    static synchronized Emulator shared() {
        if (shared == null) {
            shared = start(Ports.free());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    static Emulator dedicated() {
        return start(Ports.free());
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** SIGSTOP: the process keeps its sockets and state but answers nothing, like a hung broker. */
    void freeze() {
        signal("STOP");
    }

    void thaw() {
        signal("CONT");
    }

    /** Takes every message that arrives on the queue within the given time. */
    List<Message> drain(String queue, Duration during) {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages();
            for (Message message : batch) {
                messages.add(message);
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return messages;
    }

    /**
     * A consumer that takes every message off the queue and never deletes it, this many times each,
     * handing it straight back (visibility 0): what a consumer crashing on a message does. Under the
     * queue's redrive policy SQS then moves the message to the DLQ, on the next receive.
     */
    void receiveWithoutDeleting(String queue, int times) {
        String url = urlOf(queue);
        await("%d receives of every message on %s".formatted(times, queue)).atMost(Duration.ofSeconds(30)).until(() -> {
            List<Message> taken = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .visibilityTimeout(0).messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            return !taken.isEmpty() && taken.stream().allMatch(message -> Integer.parseInt(
                    message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)) >= times);
        });
        // The receive after the last one allowed: SQS moves the message to the DLQ instead of handing it out.
        sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(0));
    }

    /** Takes the next message off the queue with this visibility timeout, and never answers for it. */
    void receiveAndLose(String queue, Duration visibilityTimeout) {
        String url = urlOf(queue);
        await("a message to take from " + queue).atMost(Duration.ofSeconds(30)).until(() -> !sqs.receiveMessage(b -> b.queueUrl(url)
                .maxNumberOfMessages(1).waitTimeSeconds(1).visibilityTimeout((int) visibilityTimeout.toSeconds())).messages().isEmpty());
    }

    /**
     * What the SQS console's "Start DLQ redrive" (StartMessageMoveTask, which fauxqs lacks) does:
     * every message on the DLQ is sent to the queue with its body and attributes, then deleted
     * from the DLQ. Waits until at least one message was moved; returns those moved.
     */
    List<Message> moveBack(String dlq, String queue, Duration within) {
        String from = urlOf(dlq);
        String to = urlOf(queue);
        List<Message> moved = new ArrayList<>();
        await("a message to move back from " + dlq).atMost(within).until(() -> {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(from).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages()) {
                sqs.sendMessage(b -> b.queueUrl(to).messageBody(message.body()).messageAttributes(message.messageAttributes()));
                sqs.deleteMessage(b -> b.queueUrl(from).receiptHandle(message.receiptHandle()));
                moved.add(message);
            }
            return !moved.isEmpty();
        });
        return moved;
    }

    /**
     * A queue of the test's own subscribed to the topic, as the app's stock queue is: it gets a copy
     * of everything published to the topic, so that a test can count the publishes.
     */
    String tap(String topic) {
        String queue = "tap-" + topic;
        sqs.createQueue(b -> b.queueName(queue));
        subscribe(topic, queue);
        return queue;
    }

    /**
     * Every message on the queue, each received once: received with a visibility timeout that
     * outlasts the reading, until a receive comes back empty.
     */
    List<Message> receiveAll(String queue) {
        String url = urlOf(queue);
        List<Message> messages = new ArrayList<>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(600)).messages();
            messages.addAll(batch);
        } while (!batch.isEmpty());
        return messages;
    }

    /** Sends a copy of a message to the queue, as a duplicate delivery would. */
    void send(String queue, String body, Map<String, MessageAttributeValue> attributes) {
        sqs.sendMessage(b -> b.queueUrl(urlOf(queue)).messageBody(body).messageAttributes(attributes));
    }

    /** Removes every subscription of the topic: what SNS publishes from then on reaches no queue. */
    void unsubscribeAll(String topic) {
        String arn = topicArn(topic);
        sns.listSubscriptionsByTopic(b -> b.topicArn(arn)).subscriptions()
                .forEach(subscription -> sns.unsubscribe(b -> b.subscriptionArn(subscription.subscriptionArn())));
    }

    /** Subscribes the queue to the topic again, as the app's provisioning first did. */
    void subscribe(String topic, String queue) {
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(urlOf(queue)).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topicArn(topic)).protocol("sqs").endpoint(queueArn));
    }

    private String topicArn(String topic) {
        return sns.listTopics().topics().stream().map(Topic::topicArn).filter(arn -> arn.endsWith(":" + topic))
                .findFirst().orElseThrow(() -> new IllegalStateException("No topic " + topic));
    }

    /** Where the emulator keeps its queues, as the app is told to make a queue's URL of its ARN (AWS_SQS_HOST). */
    Map<String, String> queueUrlSettings(String queue) {
        URI url = URI.create(urlOf(queue));
        return Map.of("AWS_SQS_HOST", url.getRawAuthority(), "AWS_SQS_PROTOCOL", url.getScheme());
    }

    private String urlOf(String queue) {
        return sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
    }

    /**
     * The messages a receive would hand out now, left where they are (visibility 0). A receive,
     * not the queue's counts: fauxqs brings a message whose visibility ran out back only on one.
     */
    List<Message> peek(String queue) {
        return sqs.receiveMessage(b -> b.queueUrl(urlOf(queue)).maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(0)).messages();
    }

    /** Messages on the queue, waiting or taken by a consumer and not yet deleted. */
    int messagesOn(String queue) {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Override
    public void close() {
        sqs.close();
        sns.close();
        if (process != null) {
            thaw();
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
    }

    private void signal(String name) {
        if (process == null) {
            throw new IllegalStateException("Only an emulator this harness started can be frozen");
        }
        try {
            new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Emulator start(int port) {
        Path localstack = Path.of(System.getProperty("localstack.dir", "localstack")).toAbsolutePath();
        Path cli = localstack.resolve("node_modules/fauxqs/dist/cli.js");
        try {
            if (!Files.exists(cli)) {
                run(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(localstack.toFile()));
            }
            Path log = Logs.file("fauxqs-" + port);
            ProcessBuilder builder = new ProcessBuilder("node", cli.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("FAUXQS_PORT", String.valueOf(port));
            builder.environment().put("FAUXQS_DEFAULT_REGION", REGION);
            builder.environment().put("FAUXQS_LOGGER", "false");
            Emulator emulator = new Emulator(port, builder.start());
            await("fauxqs on port " + port).atMost(Duration.ofSeconds(30)).until(() -> healthy(port));
            return emulator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(ProcessBuilder builder) throws IOException {
        try {
            Process process = builder.redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("Failed: " + builder.command());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean healthy(int port) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
