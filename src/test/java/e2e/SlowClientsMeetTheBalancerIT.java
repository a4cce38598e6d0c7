package e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow clients, idle connections and HTTP/2 meet the load balancer, not the app: HAProxy as
 * deploy/haproxy.cfg configures it, on its own timeouts (`timeout http-request`,
 * `timeout http-keep-alive`), in front of one replica. A half-sent request and a body dripping in
 * are answered 408 and closed, an idle kept-alive connection is closed, a client asking for
 * cleartext HTTP/2 gets HTTP/1.1, and none of it reaches the app or sells anything.
 */
class SlowClientsMeetTheBalancerIT {

    private static final String ORDER = "{\"sku\":\"CP-502101\",\"quantity\":1}";
    private static final Duration REQUEST_TIMEOUT = deployedTimeout("http-request");
    private static final Duration KEEP_ALIVE_TIMEOUT = deployedTimeout("http-keep-alive");

    private static final Database DATABASE = Database.newSchema();
    private static final MailServer MAIL = new MailServer().start();
    private static final LoadBalancer BALANCER = new LoadBalancer(new AppProcess(DATABASE, Emulator.shared(), MAIL).withManagementPort(), 1)
            .start();

    @AfterAll
    static void stopEverything() {
        BALANCER.close();
        MAIL.close();
    }

    @Test
    void aHalfSentRequestIsAnswered408AndClosedOnceTheRequestTimeoutIsOver() throws Exception {
        int before = DATABASE.stockOf("CP-502101");
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            write(socket, "POST /api/orders HTTP/1.1\r\nHost: localhost\r\nContent-Ty");

            String answer = readUntilClosed(socket);

            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(REQUEST_TIMEOUT.minusMillis(100), REQUEST_TIMEOUT.plusSeconds(5));
        }
        assertThat(DATABASE.stockOf("CP-502101")).isEqualTo(before);
    }

    @Test
    void aBodyDrippingInIsAnswered408OnceTheRequestTimeoutIsOverAndSellsNothing() throws Exception {
        int before = DATABASE.stockOf("CP-502101");
        byte[] body = ORDER.getBytes(StandardCharsets.UTF_8);
        ScheduledExecutorService dripper = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            write(socket, "POST /api/orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n");
            // One byte every 200 ms, the last never: never idle for long, yet never done.
            OutputStream out = socket.getOutputStream();
            int[] sent = {0};
            dripper.scheduleAtFixedRate(() -> {
                try {
                    if (sent[0] < body.length - 1) {
                        out.write(body[sent[0]++]);
                        out.flush();
                    }
                } catch (IOException closed) {
                    dripper.shutdown();
                }
            }, 0, 200, TimeUnit.MILLISECONDS);

            String answer = readUntilClosed(socket);

            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"error\":\"REQUEST_TIMEOUT\"");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(REQUEST_TIMEOUT.minusMillis(100), REQUEST_TIMEOUT.plusSeconds(5));
        } finally {
            dripper.shutdownNow();
        }
        assertThat(DATABASE.stockOf("CP-502101")).isEqualTo(before);
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedOnceTheKeepAliveTimeoutIsOver() throws Exception {
        try (Socket socket = connect()) {
            write(socket, "GET /api/products/CP-502101 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(readAnswer(socket)).startsWith("HTTP/1.1 200");
            write(socket, "GET /api/products/CP-502101 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(readAnswer(socket)).as("a kept-alive connection serves the next request").startsWith("HTTP/1.1 200");
            long answered = System.nanoTime();

            assertThat(readUntilClosed(socket)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - answered))
                    .isBetween(KEEP_ALIVE_TIMEOUT.minusMillis(100), KEEP_ALIVE_TIMEOUT.plusSeconds(5));
        }
    }

    @Test
    void cleartextHttp2IsNotSpoken() throws Exception {
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()
                .send(HttpRequest.newBuilder(URI.create(BALANCER.baseUrl() + "/api/products")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    private static Duration deployedTimeout(String name) {
        try {
            Matcher timeout = Pattern.compile("(?m)^\\s*timeout " + name + " (\\d+)s\\s*$")
                    .matcher(Files.readString(Path.of(System.getProperty("deploy.dir", "deploy"), "haproxy.cfg")));
            assertThat(timeout.find()).as("timeout %s in deploy/haproxy.cfg", name).isTrue();
            return Duration.ofSeconds(Long.parseLong(timeout.group(1)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", URI.create(BALANCER.baseUrl()).getPort());
        // A balancer that never closes fails the test here instead of hanging it.
        socket.setSoTimeout((int) KEEP_ALIVE_TIMEOUT.plusSeconds(20).toMillis());
        return socket;
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Everything until the balancer closes the connection. */
    private static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        socket.getInputStream().transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }

    /** One answer: its head, then as many body bytes as its Content-Length says (or its chunks). */
    private static String readAnswer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int next = in.read();
            assertThat(next).as("the answer's head, so far: " + head).isNotNegative();
            head.write(next);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        if (text.toLowerCase().contains("transfer-encoding: chunked")) {
            StringBuilder body = new StringBuilder();
            while (true) {
                String size = readLine(in);
                int length = Integer.parseInt(size.trim(), 16);
                if (length == 0) {
                    readLine(in);
                    return text + body;
                }
                body.append(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                readLine(in);
            }
        }
        int length = text.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                .mapToInt(line -> Integer.parseInt(line.substring("content-length:".length()).trim())).findFirst().orElse(0);
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int next = in.read(); next != '\n'; next = in.read()) {
            assertThat(next).isNotNegative();
            line.write(next);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
