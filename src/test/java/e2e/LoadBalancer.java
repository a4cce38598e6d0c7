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
 * Debian's HAProxy in front of several replicas of the app, as a deploy on AWS puts an ALB in
 * front of its instances: one address for customers and for the factory's callbacks
 * (PUBLIC_BASE_URL), health checks on {@code /observe/health/ready} (on each replica's management
 * port, which customers never reach through the balancer), and requests that could
 * not reach a replica sent to another. HAProxy's own answers keep the API's error shape.
 *
 * The replicas are copies of one configured app ({@link AppProcess#replica()}): one database
 * schema, one topic and queue set, the same secrets.
 */
final class LoadBalancer extends ApiClient implements AutoCloseable {

    /**
     * The answers HAProxy gives by itself in this configuration, in the API's error shape. HAProxy
     * 2.6 (Debian 12) still answers a request line it cannot parse, or headers that come too
     * slowly, with its built-in HTML page: it reads 400 and 408 from here only for requests it has
     * parsed.
     */
    private record OwnAnswer(int status, String reason, String code, String message, boolean retryable) {
    }

    private static final List<OwnAnswer> OWN_ANSWERS = List.of(
            new OwnAnswer(400, "Bad Request", "INVALID_REQUEST", "The request is not valid HTTP/1.1.", false),
            new OwnAnswer(408, "Request Timeout", "REQUEST_TIMEOUT", "The request did not arrive in time.", false),
            new OwnAnswer(500, "Internal Server Error", "INTERNAL_ERROR", "Something went wrong on our side.", false),
            new OwnAnswer(501, "Not Implemented", "NOT_IMPLEMENTED", "This kind of request is not supported.", false),
            new OwnAnswer(502, "Bad Gateway", "BAD_GATEWAY",
                    "An instance failed while answering; the request may have been taken. Send it again with the same Idempotency-Key.", true),
            new OwnAnswer(503, "Service Unavailable", "SERVICE_UNAVAILABLE",
                    "No instance can take the request right now; try again shortly.", true),
            new OwnAnswer(504, "Gateway Timeout", "GATEWAY_TIMEOUT",
                    "No instance answered in time; the request may have been taken. Send it again with the same Idempotency-Key.", true));

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
            for (OwnAnswer answer : OWN_ANSWERS) {
                Files.writeString(directory.resolve(answer.status() + ".http"), errorFile(answer), StandardCharsets.UTF_8);
            }
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
     * Health checks on readiness, by default every second, out after two failures and back after
     * one success ({@link #checking} sets a deploy's target group instead); a refused connection takes a
     * replica out at once, and the request goes to another. A request is sent again after a
     * failure only where that cannot sell twice: always when it never reached a replica (refused
     * connection), and after an empty answer, garbage or a 503 only when it is a read or carries
     * an Idempotency-Key (README: a retried POST with the same key sells once).
     */
    private String config() {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < replicas.size(); i++) {
            servers.append("    server app%d 127.0.0.1:%d check port %d%n".formatted(i + 1, replicas.get(i).port(),
                    replicas.get(i).managementPort()));
        }
        StringBuilder errorFiles = new StringBuilder();
        for (OwnAnswer answer : OWN_ANSWERS) {
            errorFiles.append("    errorfile %d %s%n".formatted(answer.status(), directory.resolve(answer.status() + ".http")));
        }
        return """
                global
                    stats socket %s mode 600 level admin
                    log stdout format raw daemon
                    maxconn 4096

                http-errors api-errors
                %s
                defaults
                    mode http
                    log global
                    option httplog
                    option dontlog-normal
                    maxconn 4096
                    timeout connect 1s
                    timeout http-request 10s
                    timeout client 70s
                    timeout server 35s
                    timeout queue 5s
                    timeout check 3s
                    retries 3
                    option redispatch 1
                    retry-on conn-failure empty-response junk-response 503
                    errorfiles api-errors

                frontend api
                    bind 127.0.0.1:%d
                    default_backend %s

                backend %s
                    balance roundrobin
                    option httpchk
                    http-check send meth GET uri /observe/health/ready
                    http-check expect status 200
                    default-server inter %dms fall %d rise %d observe layer4 error-limit 1 on-error mark-down
                    http-request disable-l7-retry if METH_POST !{ req.hdr(Idempotency-Key) -m found }
                %s""".formatted(directory.resolve("admin.sock"), errorFiles, port, BACKEND, BACKEND, checkInterval.toMillis(), fall, rise,
                servers);
    }

    private static String errorFile(OwnAnswer answer) {
        String body = "{\"error\":\"%s\",\"message\":\"%s\"}".formatted(answer.code(), answer.message());
        return "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nCache-Control: no-cache\r\n%sConnection: close\r\n\r\n%s"
                .formatted(answer.status(), answer.reason(), body.getBytes(StandardCharsets.UTF_8).length,
                        answer.retryable() ? "Retry-After: 1\r\n" : "", body);
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
