package deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The container's health check runs in the image it ships in: the final stage of deploy/Dockerfile
 * (eclipse-temurin, Ubuntu) has bash but no curl. Each file's probe is taken exactly as Docker
 * would hand it to `bash -c`, and run against a real HTTP server answering 200, then 503, then
 * against a closed port: it must pass only on the first, and ask for the path it is meant to.
 */
class ContainerHealthCheckTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ""));
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The image's liveness path (docs/configuration.md: MANAGEMENT_PORT). */
    static final String LIVENESS = "/observe/health/live";

    @Test
    void theImagesHealthCheckIsABashProbeOfLiveness() throws Exception {
        List<String> command = dockerfileHealthCheck();
        assertThat(command).hasSize(3).startsWith("bash", "-c");
        assertProbe(command.get(2), LIVENESS);
    }

    @Test
    void theTaskDefinitionsHealthCheckIsTheSameProbe() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("deploy/cloudformation.yaml").toFile());
        JsonNode check = template.at("/Resources/TaskDefinition/Properties/ContainerDefinitions/0/HealthCheck/Command");
        List<String> command = new ArrayList<>();
        check.forEach(word -> command.add(word.asText()));
        // CMD: ECS runs the words as they are, no shell of its own in between.
        assertThat(command).hasSize(4).startsWith("CMD", "bash", "-c");
        assertProbe(command.get(3), LIVENESS);
    }

    /** Compose checks readiness (serving, not starting or draining) with the same kind of probe. */
    @Test
    void theComposeFilesHealthCheckIsTheSameProbeOnReadiness() throws Exception {
        assertProbe(ComposeFileTest.appHealthProbe(), "/observe/health/ready");
    }

    @Test
    void theFinalStageInstallsNoCurlAndTheHealthCheckCallsNone() throws IOException {
        StringBuilder finalStage = new StringBuilder();
        for (String line : dockerfileInstructions()) {
            if (line.startsWith("FROM ")) {
                finalStage.setLength(0);
            }
            finalStage.append(line).append('\n');
        }
        assertThat(finalStage.toString()).as("deploy/Dockerfile's final stage").doesNotContain("curl").doesNotContain("wget");
        assertThat(String.join(" ", dockerfileHealthCheck())).doesNotContain("curl").doesNotContain("wget");
    }

    /** The exec-form command of deploy/Dockerfile's HEALTHCHECK, as Docker parses it (JSON). */
    static List<String> dockerfileHealthCheck() throws IOException {
        List<String> checks = dockerfileInstructions().stream().filter(line -> line.startsWith("HEALTHCHECK ")).toList();
        assertThat(checks).as("HEALTHCHECK instructions").hasSize(1);
        Matcher exec = Pattern.compile(" CMD (\\[.*])$").matcher(checks.get(0));
        assertThat(exec.find()).as("an exec-form HEALTHCHECK CMD in %s", checks.get(0)).isTrue();
        List<String> command = new ArrayList<>();
        JSON.readTree(exec.group(1)).forEach(word -> command.add(word.asText()));
        return command;
    }

    /**
     * Runs the probe with bash, with MANAGEMENT_PORT set as the image and the task definition set
     * it: it passes on 200 from the expected path, fails on 503, and fails when nothing listens.
     */
    static void assertProbe(String probe, String path) throws Exception {
        assertThat(probe).as("the probe names MANAGEMENT_PORT, which the image and the task set").contains("$MANAGEMENT_PORT");
        for (int status : new int[] {200, 503}) {
            List<String> asked = new CopyOnWriteArrayList<>();
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
                exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals(path) ? status : 404, -1);
                exchange.close();
            });
            server.start();
            try {
                int exit = run(probe, server.getAddress().getPort());
                assertThat(asked).as("requests the probe made").containsExactly("GET " + path);
                if (status == 200) {
                    assertThat(exit).as("exit status of the probe against %d", status).isZero();
                } else {
                    assertThat(exit).as("exit status of the probe against %d", status).isNotZero();
                }
            } finally {
                server.stop(0);
            }
        }
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThat(run(probe, closed)).as("exit status with nothing listening").isNotZero();
    }

    private static int run(String probe, int port) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true);
        builder.environment().put("MANAGEMENT_PORT", String.valueOf(port));
        Process process = builder.start();
        process.getOutputStream().close();
        // Docker and ECS give it 5 s (--timeout, HealthCheck.Timeout).
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the probe was still running after 5 s: " + probe);
        }
        return process.exitValue();
    }

    /** The Dockerfile's instructions, continuation lines joined and comments dropped. */
    static List<String> dockerfileInstructions() throws IOException {
        String joined = Files.readString(ROOT.resolve("deploy/Dockerfile")).replaceAll("(?m)^\\s*#.*\\n", "").replaceAll("\\\\\\n\\s*", " ");
        return joined.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
    }
}
