package e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Debian's HAProxy in front of several replicas of the app, configured by deploy/haproxy.cfg, as
 * a deploy without an ALB runs it: one address for customers and for the factory's callbacks
 * (PUBLIC_BASE_URL), health checks on {@code /observe/health/ready} (on each replica's management
 * port, which customers never reach through the balancer), requests that could not reach a
 * replica sent to another, slow clients cut off, and HAProxy's own answers in the API's error shape.
 *
 * The replicas are copies of one configured app ({@link AppProcess#replica()}): one database
 * schema, one topic and queue set, the same secrets.
 */
final class LoadBalancer extends ApiClient implements AutoCloseable {

    /** The load balancer a deploy without an ALB runs, as the tests run it (see {@link #config()}). */
    private static final Path DEPLOYED = Path.of(System.getProperty("deploy.dir", "deploy")).resolve("haproxy.cfg");

    private static final String BACKEND = "replicas";

    private final int port = Ports.free();
    private final List<AppProcess> replicas = new ArrayList<>();
    private Duration checkInterval = Duration.ofSeconds(1);
    private int fall = 2;
    private int rise = 1;
    private Path directory;
    private Process process;

    /**
     * {@code count} replicas of the configured app, whose callbacks come back through the balancer.
     * Nothing runs until {@link #start()}.
     */
    LoadBalancer(AppProcess configured, int count) {
        AppProcess first = configured.with("PUBLIC_BASE_URL", baseUrl());
        replicas.add(first);
        for (int i = 1; i < count; i++) {
            replicas.add(first.replica());
        }
    }

    @Override
    int port() {
        return port;
    }

    AppProcess replica(int index) {
        return replicas.get(index);
    }

    /** The same setting on every replica; before {@link #start()}. */
    LoadBalancer with(String variable, String value) {
        replicas.forEach(replica -> replica.with(variable, value));
        return this;
    }

    /**
     * Health checks every {@code interval}, a replica out after {@code fall} failed checks in a row
     * and back after {@code rise} passed ones, instead of the quick 1 s, 2 and 1 that most tests
     * use; before {@link #start()}.
     */
    LoadBalancer checking(Duration interval, int fall, int rise) {
        this.checkInterval = interval;
        this.fall = fall;
        this.rise = rise;
        return this;
    }

    List<AppProcess> replicas() {
        return List.copyOf(replicas);
    }

    /**
     * Starts HAProxy, then the replicas, the first alone because it creates the topic and queues
     * the others expect, the others together; returns once HAProxy sends requests to every one of them.
     */
    LoadBalancer start() {
        startHaproxy();
        replicas.get(0).start();
        replicas.subList(1, replicas.size()).stream().map(replica -> CompletableFuture.runAsync(replica::start)).toList()
                .forEach(CompletableFuture::join);
        await("HAProxy to send requests to every replica").atMost(checkInterval.multipliedBy(fall + rise).plusSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> upReplicas().size() == replicas.size());
        return this;
    }

    /**
     * Each replica's state as HAProxy sees it, in the replicas' order: "UP", "DOWN", "UP 1/2" (up,
     * one check failed), "DOWN 1/1" (down, one check passed), "MAINT", "no check".
     */
    Map<AppProcess, String> states() {
        Map<AppProcess, String> states = new LinkedHashMap<>();
        List<String> lines = adminCommand("show stat").lines().toList();
        List<String> columns = Arrays.asList(lines.get(0).replaceFirst("^# ", "").split(","));
        int proxy = columns.indexOf("pxname");
        int server = columns.indexOf("svname");
        int status = columns.indexOf("status");
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            if (fields.length > status && BACKEND.equals(fields[proxy]) && fields[server].startsWith("app")) {
                states.put(replicas.get(Integer.parseInt(fields[server].substring(3)) - 1), fields[status]);
            }
        }
        return states;
    }

    /** The replicas HAProxy sends requests to now. */
    List<AppProcess> upReplicas() {
        return states().entrySet().stream().filter(state -> state.getValue().startsWith("UP")).map(Map.Entry::getKey).toList();
    }

    /** A command on HAProxy's admin socket ("show stat", "set server replicas/app1 state drain", ...); its answer. */
    String adminCommand(String command) {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(directory.resolve("admin.sock")))) {
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything HAProxy logged: every replica it took out of service or back, and why. */
    String log() {
        try {
            return Files.readString(Logs.file("haproxy-" + port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every replica (SIGTERM, as a deploy does), then HAProxy. */
    @Override
    public void close() {
        replicas.forEach(AppProcess::close);
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // A temporary directory left behind costs nothing.
            }
        }
    }

    private void startHaproxy() {
        try {
            directory = Files.createTempDirectory("haproxy-");
            Path config = Files.writeString(directory.resolve("haproxy.cfg"), config());
            process = new ProcessBuilder(haproxy(), "-db", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(Logs.file("haproxy-" + port).toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("HAProxy on port " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("HAProxy exited with " + process.exitValue() + ", see " + Logs.file("haproxy-" + port));
            }
            return Files.exists(directory.resolve("admin.sock"));
        });
    }

    /**
     * deploy/haproxy.cfg as it is, but for where it listens (this port, no TLS), its servers (the
     * replicas, each checked on its own management port), an admin socket for {@link #states()},
     * and, where {@link #checking} says so, the health checks' interval, fall and rise (by default
     * a quick 1 s, 2 and 1 instead of the file's).
     */
    private String config() {
        List<String> lines;
        try {
            lines = Files.readAllLines(DEPLOYED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder config = new StringBuilder();
        for (String line : lines) {
            String bare = line.strip();
            if (bare.startsWith("bind ") || bare.startsWith("http-request redirect scheme https") || bare.startsWith("server ")) {
                continue;
            }
            if (bare.startsWith("default-server ")) {
                line = line.replaceAll(" port \\d+", "").replaceAll(" inter \\S+", " inter " + checkInterval.toMillis() + "ms")
                        .replaceAll(" fall \\d+", " fall " + fall).replaceAll(" rise \\d+", " rise " + rise);
            }
            config.append(line.replace("/etc/haproxy/errors/", DEPLOYED.getParent().resolve("haproxy-errors").toAbsolutePath() + "/"))
                    .append('\n');
            if (line.equals("global")) {
                config.append("    stats socket %s mode 600 level admin%n".formatted(directory.resolve("admin.sock")));
            } else if (line.equals("frontend api")) {
                config.append("    bind 127.0.0.1:%d%n".formatted(port));
            }
        }
        // The backend comes last in the file: its servers.
        for (int i = 0; i < replicas.size(); i++) {
            config.append("    server app%d 127.0.0.1:%d check port %d%n".formatted(i + 1, replicas.get(i).port(),
                    replicas.get(i).managementPort()));
        }
        return config.toString();
    }

    private static String haproxy() {
        for (String candidate : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("HAProxy is missing: install the Debian package haproxy (.ci/run does)");
    }
}
