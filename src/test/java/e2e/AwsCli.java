package e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The aws CLI installed on this machine (an AWS CLI v1, or Debian's awscli that .ci/run installs),
 * pointed at the test's emulator through localstack/bin/awslocal, as ops and the ready hook use it.
 *
 * fauxqs answers SQS only in the JSON protocol SQS has spoken since 2023; Debian bookworm's awscli
 * (2.9) predates it and sends SQS the query protocol, which real SQS and LocalStack still accept.
 * For such a CLI the harness writes the CLI's own SQS model switched to the JSON protocol under
 * target/ and hands it over with AWS_DATA_PATH (a search path the CLI reads models from). Every
 * other call, and every command, is the CLI's own.
 */
final class AwsCli {

    record Result(int exitCode, String output) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOCALSTACK = Path.of(System.getProperty("localstack.dir", "localstack")).toAbsolutePath();
    /** Where Debian's awscli and a pip-installed botocore keep the SQS model. */
    private static final List<Path> MODEL_ROOTS = List.of(
            Path.of("/usr/lib/python3/dist-packages/awscli/botocore/data/sqs"),
            Path.of("/usr/lib/python3/dist-packages/botocore/data/sqs"));

    private final String executable;
    private final Map<String, String> environment = new HashMap<>();

    AwsCli(Emulator emulator) {
        this.executable = System.getenv().getOrDefault("AWS_CLI", which("aws"));
        environment.put("AWS_CLI", executable);
        environment.put("AWS_ENDPOINT_URL", emulator.endpoint());
        environment.put("AWS_REGION", Emulator.REGION);
        environment.put("AWS_DEFAULT_REGION", Emulator.REGION);
        environment.put("AWS_ACCESS_KEY_ID", "test");
        environment.put("AWS_SECRET_ACCESS_KEY", "test");
        environment.put("AWS_PAGER", "");
        // A developer's own profile or config must not change what the commands do.
        environment.put("AWS_CONFIG_FILE", "/dev/null");
        environment.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        environment.put("PATH", LOCALSTACK.resolve("bin") + ":" + System.getenv("PATH"));
        if (speaksOnlySqsQueryProtocol()) {
            environment.put("AWS_DATA_PATH", sqsJsonModel().toString());
        }
    }

    String version() {
        return run("\"$AWS_CLI\" --version", Map.of()).output().trim();
    }

    Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    /** Runs a bash script with this CLI reachable as awslocal (and as aws through {@link #asAws}), plus the given variables. */
    Result run(String script, Map<String, String> variables) {
        try {
            Path log = Logs.file("aws-cli-" + System.nanoTime());
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            builder.environment().putAll(variables);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("Still running after 5 minutes: " + script + " (output in " + log + ")");
            }
            return new Result(process.exitValue(), Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A folder holding an `aws` that is this CLI against the emulator, recording each call's exit
     * code and arguments to the given file: put first on PATH, commands written for AWS run
     * unchanged, and a failure inside a command substitution (which `set -e` does not see) is known.
     */
    Path asAws(Path calls) {
        try {
            Path bin = Files.createTempDirectory(Path.of("target"), "aws-bin").toAbsolutePath();
            Path aws = bin.resolve("aws");
            Files.writeString(aws, """
                    #!/bin/sh
                    '%s' "$@"
                    status=$?
                    printf '%%s %%s\\n' "$status" "$*" >> '%s'
                    exit $status
                    """.formatted(LOCALSTACK.resolve("bin/awslocal"), calls.toAbsolutePath()));
            aws.toFile().setExecutable(true);
            return bin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean speaksOnlySqsQueryProtocol() {
        Result probe = run("awslocal sqs list-queues", Map.of());
        if (probe.exitCode() == 0) {
            return false;
        }
        // fauxqs's answer to a request without the JSON protocol's X-Amz-Target header.
        if (probe.output().contains("Unknown action") || probe.output().contains("MissingAction")) {
            return true;
        }
        throw new IllegalStateException("The aws CLI (" + executable + ") cannot list the emulator's queues: " + probe.output());
    }

    private Path sqsJsonModel() {
        try {
            Path source = MODEL_ROOTS.stream().flatMap(AwsCli::versions).map(version -> version.resolve("service-2.json"))
                    .filter(Files::exists).findFirst()
                    .orElseThrow(() -> new IllegalStateException("The aws CLI (" + executable + ") speaks SQS's query protocol only,"
                            + " which the emulator does not, and its SQS model is in none of " + MODEL_ROOTS));
            ObjectNode model = (ObjectNode) JSON.readTree(source.toFile());
            ObjectNode metadata = (ObjectNode) model.get("metadata");
            metadata.put("protocol", "json").put("jsonVersion", "1.0").put("targetPrefix", "AmazonSQS").remove("xmlNamespace");
            // XML names and result wrappers belong to the query protocol; in JSON a member is sent under its own name.
            stripQueryTraits(model.get("operations"));
            stripQueryTraits(model.get("shapes"));
            Path root = Path.of("target", "aws-models").toAbsolutePath();
            Path target = root.resolve("sqs").resolve(source.getParent().getFileName());
            Files.createDirectories(target);
            JSON.writeValue(target.resolve("service-2.json").toFile(), model);
            for (String companion : List.of("endpoint-rule-set-1.json", "paginators-1.json")) {
                if (Files.exists(source.resolveSibling(companion))) {
                    Files.copy(source.resolveSibling(companion), target.resolve(companion), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stripQueryTraits(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("locationName", "flattened", "resultWrapper", "xmlNamespace"));
            object.forEach(AwsCli::stripQueryTraits);
        } else if (node != null && node.isArray()) {
            node.forEach(AwsCli::stripQueryTraits);
        }
    }

    private static Stream<Path> versions(Path root) {
        if (!Files.isDirectory(root)) {
            return Stream.empty();
        }
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
            List<Path> all = new ArrayList<>();
            versions.forEach(all::add);
            return all.stream().sorted(Comparator.reverseOrder());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String which(String command) {
        try {
            Process process = new ProcessBuilder("bash", "-c", "command -v " + command).start();
            String found = new String(process.getInputStream().readAllBytes()).trim();
            if (process.waitFor() != 0 || found.isEmpty()) {
                throw new IllegalStateException("No '" + command + "' on PATH: .ci/run installs Debian's awscli when it is missing");
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
