package deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import config.AppSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * deploy/haproxy.cfg, the load balancer for replicas without an ALB: it checks only whether a
 * replica serves, takes a stopping one out while it still drains, sends on what a stopping replica
 * could not take without selling twice, and stops slow clients and oversized bodies before the app.
 */
class HaproxyConfigTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ""));
    private static final Path CONFIG = ROOT.resolve("deploy/haproxy.cfg");

    private static Map<String, List<String>> sections;

    @BeforeAll
    static void load() throws IOException {
        sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : Files.readAllLines(CONFIG)) {
            String bare = line.replaceFirst("#.*$", "").strip();
            if (bare.isEmpty()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                current = new ArrayList<>();
                sections.put(bare, current);
            } else {
                current.add(bare.replaceAll("\\s+", " "));
            }
        }
    }

    @Test
    void checksReadinessOnTheImagesManagementPortAndSendsTrafficToTheApi() throws IOException {
        List<String> backend = sections.get("backend replicas");
        assertThat(backend).contains("option httpchk", "http-check expect status 200");
        assertThat(backend).anyMatch(line -> line.startsWith("http-check send meth GET uri /observe/health/ready "));
        Matcher image = Pattern.compile("(?m)^ENV .*\\bMANAGEMENT_PORT=(\\d+)").matcher(Files.readString(ROOT.resolve("deploy/Dockerfile")));
        assertThat(image.find()).isTrue();
        assertThat(setting(backend, "default-server")).contains("check port " + image.group(1));
        List<String> servers = backend.stream().filter(line -> line.startsWith("server ")).toList();
        assertThat(servers).isNotEmpty().allMatch(server -> server.endsWith(":" + appDefault("app.port")));
    }

    /** docs/operations.md, "Stopping": the drain outlasts interval x fall + one check's timeout. */
    @Test
    void takesAStoppingReplicaOutBeforeItsDrainEnds() {
        String server = setting(sections.get("backend replicas"), "default-server");
        int interval = seconds(word(server, "inter"));
        int fall = Integer.parseInt(word(server, "fall"));
        int check = seconds(setting(sections.get("defaults"), "timeout check"));
        assertThat(interval * fall + check).as("seconds until a stopping replica is out")
                .isLessThan(Integer.parseInt(appDefault("shutdown.drain-s")));
    }

    @Test
    void sendsAgainWhatAStoppingReplicaDidNotTakeButNoPostThatMayHaveSold() {
        List<String> defaults = sections.get("defaults");
        assertThat(setting(defaults, "retry-on").split(" ")).contains("conn-failure", "empty-response", "503");
        assertThat(defaults).anyMatch(line -> line.startsWith("option redispatch"));
        assertThat(sections.get("backend replicas"))
                .contains("http-request disable-l7-retry if METH_POST !{ req.hdr(Idempotency-Key) -m found }");
    }

    @Test
    void stopsSlowClientsAndOversizedBodiesBeforeTheApp() {
        List<String> defaults = sections.get("defaults");
        assertThat(seconds(setting(defaults, "timeout http-request"))).isPositive();
        assertThat(seconds(setting(defaults, "timeout client"))).isPositive();
        // As the ALB's idle timeout: the balancer, not the app, ends idle connections; `timeout client`
        // bounds an idle connection too, so a longer keep-alive would only be written, never kept.
        assertThat(seconds(setting(defaults, "timeout http-keep-alive"))).isLessThanOrEqualTo(60)
                .isLessThanOrEqualTo(seconds(setting(defaults, "timeout client")));
        List<String> frontend = sections.get("frontend api");
        assertThat(frontend).contains("option http-buffer-request");
        assertThat(frontend).contains("http-request deny deny_status 413 if { req.hdr_val(content-length) gt "
                + appDefault("camel.server.max-body-size") + " }");
        assertThat(frontend).anyMatch(line -> line.startsWith("bind :443 ssl crt "));
    }

    /** HAProxy itself reads the file (its certificate, which lives on the machine, left out). */
    @Test
    void haproxyAcceptsIt() throws Exception {
        Path haproxy = Path.of("/usr/sbin/haproxy");
        assumeThat(Files.isExecutable(haproxy)).as("HAProxy installed (.ci/run installs it)").isTrue();
        Path copy = Files.createTempFile("haproxy-", ".cfg");
        try {
            Files.writeString(copy, Files.readString(CONFIG).replaceAll("(?m)^(\\s*bind :443) ssl crt .*$", "$1")
                    .replace("/etc/haproxy/errors/", ROOT.resolve("deploy/haproxy-errors").toAbsolutePath() + "/"));
            Process check = new ProcessBuilder(haproxy.toString(), "-c", "-f", copy.toString()).redirectErrorStream(true).start();
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(check.getInputStream().readAllBytes());
            assertThat(check.exitValue()).as("haproxy -c said%n%s", output).isZero();
            assertThat(output).doesNotContain("[WARNING]");
        } finally {
            Files.delete(copy);
        }
    }

    private static String setting(List<String> section, String name) {
        List<String> found = section.stream().filter(line -> line.startsWith(name + " ")).toList();
        assertThat(found).as("%s in %s", name, section).hasSize(1);
        return found.get(0).substring(name.length() + 1);
    }

    private static String word(String line, String name) {
        Matcher value = Pattern.compile("\\b" + name + " (\\S+)").matcher(line);
        assertThat(value.find()).as("%s in %s", name, line).isTrue();
        return value.group(1);
    }

    private static int seconds(String duration) {
        Matcher value = Pattern.compile("(\\d+)(ms|s|m)?").matcher(duration);
        assertThat(value.matches()).as("a duration: %s", duration).isTrue();
        int number = Integer.parseInt(value.group(1));
        return switch (value.group(2) == null ? "ms" : value.group(2)) {
            case "ms" -> number / 1000;
            case "m" -> number * 60;
            default -> number;
        };
    }

    private static String appDefault(String property) {
        return AppSettings.defaultOf(property);
    }
}
