package e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The application as users run it: {@code java -jar target/donut-states.jar}, configured only
 * through environment variables, talking to real MariaDB, the emulator and HTTP.
 */
final class AppProcess extends ApiClient implements AutoCloseable {

    /**
     * The pipeline at test speed: short polls, quick retries, a simulator that answers at once, a
     * stop without the drain a load balancer needs. None of these is a timeout the tests on
     * production defaults are about; those drop them all, or the ones they are about.
     */
    private static final Map<String, String> TEST_SPEED = Map.of(
            "SHUTDOWN_DRAIN_S", "0",
            "OUTBOX_POLL_MS", "100",
            "OUTBOX_MAX_BACKOFF_S", "2",
            "AWS_POLL_WAIT_S", "1",
            "SIMULATOR_DELAY_MS", "0",
            "FACTORY_TIMEOUT_MS", "2000",
            "FACTORY_RETRY_ATTEMPTS", "2",
            "FACTORY_RETRY_DELAY_MS", "100",
            "FACTORY_LEASE_S", "20",
            "ALERT_RETRY_S", "2");

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> environment = new HashMap<>();
    private Process process;

    AppProcess(Database database, Emulator emulator, MailServer mail) {
        this(database, emulator);
        environment.put("SMTP_HOST", "127.0.0.1");
        environment.put("SMTP_PORT", String.valueOf(mail.port()));
    }

    AppProcess(Database database, Emulator emulator) {
        environment.put("PORT", String.valueOf(Ports.free()));
        environment.put("DB_URL", database.url());
        environment.put("DB_USER", "root");
        environment.put("DB_PASSWORD", "");
        environment.put("AWS_ENDPOINT_URL", emulator.endpoint());
        environment.put("AWS_REGION", Emulator.REGION);
        environment.put("AWS_PROVISION", "true");
        // Resource names of its own, so tests sharing one emulator never see each other's messages.
        environment.put("STOCK_TOPIC", "stock-empty-" + suffix);
        environment.put("STOCK_QUEUE", "stock-queue-" + suffix);
        environment.put("STOCK_DLQ", "stock-dlq-" + suffix);
        environment.put("ADMIN_TOKEN", ADMIN_TOKEN);
        environment.put("CALLBACK_SECRET", "e2e-callback-secret-0123456789");
        environment.put("OPS_EMAIL", MailServer.OPS);
        environment.put("FACTORY_SIMULATOR", "on");
        environment.putAll(TEST_SPEED);
    }

    /**
     * Every timeout and schedule as {@code ./run.sh} leaves them: the app's own defaults, which are
     * the production ones. For tests about what those timeouts guard.
     */
    AppProcess onRunShDefaults() {
        TEST_SPEED.keySet().forEach(environment::remove);
        return this;
    }

    /**
     * The legacy factory as a process of its own: another instance of the jar that only simulates
     * (it takes nothing off its queue), whose record of orders taken survives anything done to the
     * app under test. Its callbacks keep trying for a minute, so they outlast a restart. Its
     * simulator calls back only to its PUBLIC_BASE_URL: the app it serves, whose port is chosen here.
     */
    static AppProcess standaloneFactory() {
        return new AppProcess(Database.newSchema(), Emulator.shared())
                .with("FACTORY_ROUTE_ENABLED", "false")
                .with("SIMULATOR_CALLBACK_RETRIES", "60")
                .with("PUBLIC_BASE_URL", "http://localhost:" + Ports.free());
    }

    /** Settings that make the app order from this standalone factory instead of its own simulator. */
    Map<String, String> asFactoryOf(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("FACTORY_SIMULATOR", "off");
        all.put("FACTORY_URL", baseUrl() + "/simulator");
        all.put("PORT", String.valueOf(URI.create(environment.get("PUBLIC_BASE_URL")).getPort()));
        return all;
    }

    /**
     * Another instance of the same app, as a deploy runs several: the same database, queues, topic,
     * secrets and settings, on a port of its own and with a log of its own. It leaves creating the
     * topic and queues to this one, as instances on AWS leave them to the stack.
     */
    AppProcess replica() {
        AppProcess replica = new AppProcess(this);
        replica.environment.put("PORT", String.valueOf(Ports.free()));
        if (environment.containsKey("MANAGEMENT_PORT")) {
            replica.environment.put("MANAGEMENT_PORT", String.valueOf(Ports.free()));
        }
        replica.environment.put("AWS_PROVISION", "false");
        return replica;
    }

    private AppProcess(AppProcess original) {
        environment.putAll(original.environment);
    }

    /** The topic and queues by ARN, as the deploy's task definition gives them (deploy/cloudformation.yaml). */
    AppProcess byArn(Emulator emulator) {
        environment.putAll(emulator.queueUrlSettings(stockQueue()));
        environment.put("STOCK_TOPIC", Emulator.arn("sns", stockTopic()));
        environment.put("STOCK_QUEUE", Emulator.arn("sqs", stockQueue()));
        environment.put("STOCK_DLQ", Emulator.arn("sqs", stockDlq()));
        return this;
    }

    /** Health and metrics on a port of their own, as the image runs them (deploy/Dockerfile); the API's port answers them 404. */
    AppProcess withManagementPort() {
        environment.put("MANAGEMENT_PORT", String.valueOf(Ports.free()));
        return this;
    }

    /** The app's own default (the production one) for this setting, instead of the test speed's. */
    AppProcess onDefault(String variable) {
        environment.remove(variable);
        return this;
    }

    AppProcess with(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    /** Everything the app wrote to its console, across restarts. */
    String log() {
        try {
            return Files.readString(Logs.file("app-" + suffix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String callbackSecret() {
        return environment.get("CALLBACK_SECRET");
    }

    /** Stops the app and starts it again on the same port, database and queues, with some settings changed. */
    AppProcess restartWith(Map<String, String> changes) {
        close();
        environment.putAll(changes);
        return start();
    }

    String stockQueue() {
        return nameOf("STOCK_QUEUE");
    }

    String stockDlq() {
        return nameOf("STOCK_DLQ");
    }

    String stockTopic() {
        return nameOf("STOCK_TOPIC");
    }

    /** The resource's name, also when it is given by ARN. */
    private String nameOf(String variable) {
        String nameOrArn = environment.get(variable);
        return nameOrArn.substring(nameOrArn.lastIndexOf(':') + 1);
    }

    AppProcess start() {
        Path jar = Path.of(System.getProperty("app.jar", "target/donut-states.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with 'mvn verify', which builds it first");
        }
        // The tests' own JVM runs the app unless app.java names another (a newer JDK the jar should run on).
        String java = System.getProperty("app.java", "").isBlank()
                ? ProcessHandle.current().info().command().orElse("java") : System.getProperty("app.java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Logs.file("app-" + suffix).toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Seconds on an idle machine; a busy one has taken over a minute.
        await("the app to answer on port " + port()).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("The app exited with " + process.exitValue() + ", see " + Logs.file("app-" + suffix));
                    }
                    return ready();
                });
        return this;
    }

    /** Kills the app with SIGKILL: no shutdown hook, no graceful stop, whatever was in flight is cut off. */
    void crash() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The app survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the process runs (it may still be stopping). */
    boolean running() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, as a deploy or `docker stop` sends it; {@link #awaitExit} waits for the app to finish. */
    void terminate() {
        process.destroy();
    }

    int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("The app did not stop within " + within);
        }
        return process.exitValue();
    }

    /** A setting like the others, so that a standalone factory can be told where its shop will listen. */
    @Override
    int port() {
        return Integer.parseInt(environment.get("PORT"));
    }

    @Override
    int managementPort() {
        return environment.containsKey("MANAGEMENT_PORT") ? Integer.parseInt(environment.get("MANAGEMENT_PORT")) : port();
    }

    /** The running app's process id, for the JDK's own tools (jcmd). */
    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private boolean ready() {
        try {
            return HTTP.send(managementRequest("/observe/health/ready").GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
