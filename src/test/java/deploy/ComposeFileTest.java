package deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import config.AppSettings;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * localstack/docker-compose.yml, checked by parsing it (there is no Docker engine in CI): every
 * STOCK_* setting the ready hook reads reaches the hook and the app with the same default as
 * application.properties and deploy/cloudformation.yaml; LocalStack is healthy only once the hook
 * succeeded; the app is the image of deploy/Dockerfile on the stack the hook made, set with
 * variables the app reads; nothing starts without a profile that brings an emulator.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ""));
    private static final Pattern HOOK_SETTING = Pattern.compile("\\$\\{((?:STOCK|AWS)_\\w+):-([^}]*)}");
    private static final Pattern COMPOSE_DEFAULT = Pattern.compile("\\$\\{(\\w+):-([^}]*)}");
    private static final Pattern CFN_VARIABLE = Pattern.compile("\\(the app's (\\w+)\\)");
    /** The hook reads the region as the CLI's AWS_DEFAULT_REGION; compose fills it from the app's AWS_REGION. */
    private static final Map<String, String> HOOK_TO_APP = Map.of("AWS_DEFAULT_REGION", "AWS_REGION");

    private static JsonNode services;
    private static String hook;
    private static Map<String, String> appDefaults;
    private static Map<String, String> stackDefaults;

    @BeforeAll
    static void load() throws IOException {
        YAMLFactory yaml = new YAMLFactory();
        services = new ObjectMapper(yaml).readTree(read("localstack/docker-compose.yml")).path("services");
        hook = read("localstack/init/ready.d/01-stock-resources.sh");
        appDefaults = AppSettings.defaultsByVariable();
        stackDefaults = new TreeMap<>();
        new ObjectMapper(yaml).readTree(read("deploy/cloudformation.yaml")).path("Parameters").forEach(parameter -> {
            Matcher variable = CFN_VARIABLE.matcher(parameter.path("Description").asText());
            if (variable.find() && parameter.has("Default")) {
                stackDefaults.put(variable.group(1), parameter.path("Default").asText());
            }
        });
    }

    @Test
    void everySettingTheHookReadsReachesItWithTheAppsAndTheStacksDefault() {
        Map<String, String> read = hookSettings();
        assertThat(read).as("settings the hook reads").containsKeys("STOCK_TOPIC", "STOCK_QUEUE", "STOCK_DLQ",
                "STOCK_QUEUE_RETENTION_S", "STOCK_DLQ_RETENTION_S", "STOCK_QUEUE_VISIBILITY_TIMEOUT_S", "STOCK_QUEUE_MAX_RECEIVE_COUNT");

        SoftAssertions settings = new SoftAssertions();
        for (String service : List.of("localstack", "floci-stock-resources")) {
            JsonNode environment = services.path(service).path("environment");
            read.forEach((variable, hookDefault) -> {
                String appVariable = HOOK_TO_APP.getOrDefault(variable, variable);
                settings.assertThat(environment.path(variable).asText()).as("%s passes %s", service, variable)
                        .isEqualTo("${%s:-%s}", appVariable, appDefaults.get(appVariable));
                settings.assertThat(hookDefault).as("the hook's default of %s", variable).isEqualTo(appDefaults.get(appVariable));
                if (variable.startsWith("STOCK_")) {
                    settings.assertThat(stackDefaults).as("deploy/cloudformation.yaml's default for %s", variable)
                            .containsEntry(variable, appDefaults.get(variable));
                }
            });
        }
        settings.assertAll();
    }

    @Test
    void everyDefaultInTheFileIsTheAppsDefault() {
        SoftAssertions defaults = new SoftAssertions();
        for (JsonNode service : services) {
            service.path("environment").fields().forEachRemaining(entry -> {
                Matcher fallback = COMPOSE_DEFAULT.matcher(entry.getValue().asText());
                // The app's empty DB_PASSWORD is for its embedded database; MySQL's image needs one for MYSQL_USER.
                if (fallback.matches() && appDefaults.containsKey(fallback.group(1)) && !fallback.group(1).equals("DB_PASSWORD")) {
                    defaults.assertThat(fallback.group(2)).as("default of %s", entry.getKey()).isEqualTo(appDefaults.get(fallback.group(1)));
                }
            });
        }
        defaults.assertAll();
    }

    @Test
    void localStackIsHealthyOnlyOnceTheHookWroteItsMarkerOnATmpfs() {
        JsonNode localstack = services.path("localstack");
        String marker = localstack.at("/environment/READY_MARKER").asText();
        assertThat(marker).isNotBlank();

        assertThat(texts(localstack.at("/healthcheck/test"))).containsExactly("CMD", "test", "-f", marker);
        assertThat(texts(localstack.path("tmpfs"))).as("emptied at every start, so no marker outlives one")
                .anyMatch(mount -> marker.startsWith(mount.split(":")[0] + "/"));
        assertThat(texts(localstack.path("volumes"))).contains("./init/ready.d:/etc/localstack/init/ready.d:ro");
        // The marker is removed first and written last, after `set -e` let every call through.
        assertThat(hook).contains("set -euo pipefail").contains("READY_MARKER=\"${READY_MARKER:-}\"");
        List<String> lines = hook.strip().lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("[[ -z \"$READY_MARKER\" ]] || touch \"$READY_MARKER\"");
        assertThat(hook.indexOf("rm -f \"$READY_MARKER\"")).isPositive().isLessThan(hook.indexOf("aws sns create-topic"));
    }

    @Test
    void theLocalStackTokenIsPassedThroughOnlyWhenSet() {
        JsonNode environment = services.path("localstack").path("environment");
        assertThat(environment.has("LOCALSTACK_AUTH_TOKEN")).isTrue();
        // A key without a value: compose takes it from the host's environment, and leaves it unset if the host has none.
        assertThat(environment.get("LOCALSTACK_AUTH_TOKEN").isNull()).isTrue();
    }

    @Test
    void flociRunsTheSameHookThroughTheShimWithoutAToken() {
        JsonNode floci = services.path("floci");
        JsonNode hookRunner = services.path("floci-stock-resources");
        assertThat(texts(floci.path("profiles"))).containsExactly("floci");
        assertThat(texts(hookRunner.path("profiles"))).containsExactly("floci");
        assertThat(texts(services.path("localstack").path("profiles"))).containsExactly("localstack");
        assertThat(floci.path("environment").toString()).doesNotContain("TOKEN");
        assertThat(texts(hookRunner.path("volumes"))).contains("./bin:/donut-states/bin:ro", "./init/ready.d:/etc/localstack/init/ready.d:ro");
        assertThat(hookRunner.at("/environment/PATH").asText()).startsWith("/donut-states/bin:");
        assertThat(String.join(" ", texts(hookRunner.path("entrypoint")))).contains("/etc/localstack/init/ready.d/01-stock-resources.sh");
        assertThat(texts(floci.at("/networks/default/aliases"))).containsExactly("aws");
        assertThat(texts(services.at("/localstack/networks/default/aliases"))).containsExactly("aws");
    }

    @Test
    void theAppIsTheImageOfTheDockerfileOnTheStackTheHookMade() {
        JsonNode app = services.path("app");
        JsonNode environment = app.path("environment");

        assertThat(app.at("/build/context").asText()).isEqualTo("..");
        assertThat(app.at("/build/dockerfile").asText()).isEqualTo("deploy/Dockerfile");
        assertThat(ROOT.resolve("localstack").resolve(app.at("/build/context").asText()).resolve("deploy/Dockerfile").normalize()).exists();
        assertThat(environment.path("AWS_PROVISION").asText()).isEqualTo("false");
        assertThat(environment.path("AWS_ENDPOINT_URL").asText()).isEqualTo("http://aws:4566");
        assertThat(app.at("/depends_on/localstack/condition").asText()).isEqualTo("service_healthy");
        assertThat(app.at("/depends_on/floci-stock-resources/condition").asText()).isEqualTo("service_completed_successfully");
        assertThat(app.at("/depends_on/mysql/condition").asText()).isEqualTo("service_healthy");
        hookSettings().keySet().stream().filter(variable -> variable.startsWith("STOCK_")).forEach(variable ->
                assertThat(environment.path(variable).asText()).as("the app gets %s as the hook does", variable)
                        .isEqualTo(services.at("/localstack/environment/" + variable).asText()));
        JsonNode mysql = services.path("mysql").path("environment");
        assertThat(environment.path("DB_URL").asText()).isEqualTo("jdbc:mysql://mysql:3306/" + mysql.path("MYSQL_DATABASE").asText());
        assertThat(environment.path("DB_USER").asText()).isEqualTo(mysql.path("MYSQL_USER").asText());
        assertThat(environment.path("DB_PASSWORD").asText()).isEqualTo(mysql.path("MYSQL_PASSWORD").asText());
        assertThat(environment.path("SMTP_HOST").asText()).isEqualTo("mail");
    }

    /** Every service runs in a profile, and each profile brings exactly one emulator as "aws" and everything else. */
    @Test
    void nothingStartsWithoutAProfileAndEachProfileBringsOneEmulator() {
        Map<String, List<String>> byProfile = new TreeMap<>();
        services.fields().forEachRemaining(service -> {
            List<String> profiles = texts(service.getValue().path("profiles"));
            assertThat(profiles).as("profiles of %s: without one, `up` with no profile would start it", service.getKey())
                    .isNotEmpty().isSubsetOf("localstack", "floci");
            profiles.forEach(profile -> byProfile.computeIfAbsent(profile, p -> new ArrayList<>()).add(service.getKey()));
        });
        assertThat(byProfile.get("localstack")).containsExactlyInAnyOrder("localstack", "mysql", "mail", "app");
        assertThat(byProfile.get("floci")).containsExactlyInAnyOrder("floci", "floci-stock-resources", "mysql", "mail", "app");
    }

    /** The app service sets only variables the app reads (application.properties' {{env:NAME:...}} placeholders). */
    @Test
    void theAppServiceSetsOnlyVariablesTheAppReads() {
        List<String> set = new ArrayList<>();
        services.at("/app/environment").fieldNames().forEachRemaining(set::add);
        assertThat(set).isNotEmpty();
        assertThat(appDefaults.keySet()).as("variables application.properties reads").containsAll(set);
    }

    /** The image's MANAGEMENT_PORT is published on this machine only, and the app is healthy once ready there. */
    @Test
    void theAppIsHealthyOnceReadyOnItsManagementPortWhichStaysOnThisMachine() throws IOException {
        Matcher image = Pattern.compile("(?m)^ENV .*\\bMANAGEMENT_PORT=(\\d+)").matcher(read("deploy/Dockerfile"));
        assertThat(image.find()).as("deploy/Dockerfile sets MANAGEMENT_PORT").isTrue();
        String port = image.group(1);
        JsonNode app = services.path("app");

        assertThat(texts(app.path("ports"))).contains("8080:8080", "127.0.0.1:" + port + ":" + port);
        assertThat(app.path("environment").has("MANAGEMENT_PORT")).as("the image's own setting, not another").isFalse();
        // What the probe does, and that it runs in the image: ContainerHealthCheckTest.
        assertThat(texts(app.at("/healthcheck/test"))).hasSize(4).startsWith("CMD", "bash", "-c");
        assertThat(appHealthProbe()).contains("/observe/health/ready").contains("$MANAGEMENT_PORT").doesNotContain("curl");
    }

    /** The app service's health probe as compose hands it to bash: "$$" is compose's escape for "$". */
    static String appHealthProbe() throws IOException {
        JsonNode test = new ObjectMapper(new YAMLFactory()).readTree(read("localstack/docker-compose.yml")).at("/services/app/healthcheck/test");
        String probe = test.get(test.size() - 1).asText();
        assertThat(probe.replace("$$", "")).as("a lone $, which compose would interpolate from the host").doesNotContain("$");
        return probe.replace("$$", "$");
    }

    /** Variable to default, for every ${STOCK_...:-default} and ${AWS_...:-default} the hook reads. */
    private static Map<String, String> hookSettings() {
        Map<String, String> settings = new TreeMap<>();
        Matcher setting = HOOK_SETTING.matcher(hook);
        while (setting.find()) {
            settings.put(setting.group(1), setting.group(2));
        }
        return settings;
    }

    private static List<String> texts(JsonNode list) {
        List<String> texts = new ArrayList<>();
        list.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }
}
