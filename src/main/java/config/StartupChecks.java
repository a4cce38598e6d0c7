package config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to start half-configured: every setting is checked before anything connects, and
 * the failure names the environment variable to fix (never its value, which may be a secret).
 */
public class StartupChecks implements CamelConfiguration {

    static final String DEV_ADMIN_TOKEN = "local-dev-admin-token";
    static final String DEV_CALLBACK_SECRET = "local-dev-callback-secret";

    private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);
    private static final Pattern RESOURCE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}|arn:aws[a-z-]*:s(ns|qs):[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,80}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[A-Za-z0-9.-]{1,253}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    private record Rule(String property, String variable, String expectation, Predicate<String> valid) {
    }

    /** A setting {@code {{env:VARIABLE:default}}} of application.properties. */
    private record Setting(String property, String variable, String fallback) {
    }

    private static final Pattern ENV_SETTING = Pattern.compile("^([\\w.-]+)\\s*=\\s*\\{\\{env:([A-Z0-9_]+):([^{}]*)}}\\s*$");

    /**
     * Where a whole number or a true/false would be taken as it comes, however wrong for the app: the
     * ranges Camel and the libraries do not check at start. Every other number and boolean is held to
     * its kind by {@link #kinds}.
     */
    private static final List<Rule> RULES = List.of(
            intRule("app.port", "PORT", 1, 65535),
            intRule("app.management-port", "MANAGEMENT_PORT", 1, 65535),
            new Rule("db.url", "DB_URL", "a jdbc:mysql:, jdbc:mariadb: or jdbc:h2: URL",
                    v -> v.startsWith("jdbc:mysql:") || v.startsWith("jdbc:mariadb:") || v.startsWith("jdbc:h2:")),
            intRule("db.pool-size", "DB_POOL_SIZE", 1, 200),
            intRule("db.connection-timeout-ms", "DB_CONNECTION_TIMEOUT_MS", 250, 600_000),
            new Rule("aws.region", "AWS_REGION", "an AWS region such as ap-northeast-2", v -> REGION.matcher(v).matches()),
            new Rule("aws.endpoint-url", "AWS_ENDPOINT_URL", "empty (real AWS) or an http(s) URL", StartupChecks::emptyOrHttpUrl),
            new Rule("tracing.otlp-endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT", "empty (no tracing) or an http(s) URL",
                    StartupChecks::emptyOrHttpUrl),
            new Rule("aws.stock-topic", "STOCK_TOPIC", "a topic name or ARN", v -> RESOURCE_NAME.matcher(v).matches()),
            new Rule("aws.stock-queue", "STOCK_QUEUE", "a queue name or ARN", v -> RESOURCE_NAME.matcher(v).matches()),
            new Rule("aws.stock-dlq", "STOCK_DLQ", "a queue name or ARN", v -> RESOURCE_NAME.matcher(v).matches()),
            intRule("aws.queue-retention-s", "STOCK_QUEUE_RETENTION_S", 60, 1_209_600),
            intRule("aws.dlq-retention-s", "STOCK_DLQ_RETENTION_S", 60, 1_209_600),
            intRule("aws.max-receive-count", "STOCK_QUEUE_MAX_RECEIVE_COUNT", 1, 1000),
            intRule("aws.visibility-timeout-s", "STOCK_QUEUE_VISIBILITY_TIMEOUT_S", 0, 43_200),
            intRule("aws.poll-wait-s", "AWS_POLL_WAIT_S", 0, 20),
            intRule("restock.republish-attempts", "RESTOCK_REPUBLISH_ATTEMPTS", 0, 100),
            new Rule("sales.default-sku", "DEFAULT_SKU", "a product SKU", v -> v.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")),
            intRule("sales.max-quantity", "MAX_ORDER_QUANTITY", 1, 1_000_000),
            intRule("api.max-body-bytes", "MAX_BODY_BYTES", 1024, 10_485_760),
            new Rule("app.public-base-url", "PUBLIC_BASE_URL", "an http(s) URL", StartupChecks::httpUrl),
            new Rule("factory.url", "FACTORY_URL", "an http(s) URL", StartupChecks::httpUrl),
            intRule("factory.retry-attempts", "FACTORY_RETRY_ATTEMPTS", 0, 20),
            new Rule("ops.email", "OPS_EMAIL", "an email address", v -> EMAIL.matcher(v).matches()),
            new Rule("ops.from", "OPS_FROM", "an email address", v -> EMAIL.matcher(v).matches()),
            new Rule("simulator.enabled", "FACTORY_SIMULATOR", "on or off", v -> v.equalsIgnoreCase("on") || v.equalsIgnoreCase("off")),
            rateRule("simulator.failure-rate", "SIMULATOR_FAILURE_RATE"),
            rateRule("simulator.duplicate-rate", "SIMULATOR_DUPLICATE_RATE"),
            new Rule("security.admin-token", "ADMIN_TOKEN", "at least 16 characters", v -> v.length() >= 16),
            new Rule("security.callback-secret", "CALLBACK_SECRET", "at least 16 characters", v -> v.length() >= 16),
            new Rule("security.admin-token-previous", "ADMIN_TOKEN_PREVIOUS", "empty or at least 16 characters",
                    v -> v.isEmpty() || v.length() >= 16),
            new Rule("security.callback-secret-previous", "CALLBACK_SECRET_PREVIOUS", "empty or at least 16 characters",
                    v -> v.isEmpty() || v.length() >= 16),
            // 0 would mean no timeout at all in the drivers, and 0 s a reminder with every failed call.
            intRule("db.socket-timeout-ms", "DB_SOCKET_TIMEOUT_MS", 100, 3_600_000),
            intRule("outage.reminder-s", "OUTAGE_REMINDER_S", 1, 86_400));

    @Override
    public void configure(CamelContext context) {
        Settings properties = new Settings(context);
        List<String> problems = new ArrayList<>();
        for (Rule rule : kinds(context)) {
            String value = context.getPropertiesComponent().resolveProperty(rule.property()).orElse("").trim();
            if (!rule.valid().test(value)) {
                problems.add(rule.variable() + " must be " + rule.expectation());
            }
        }
        for (Rule rule : RULES) {
            String value = context.getPropertiesComponent().resolveProperty(rule.property()).orElse("").trim();
            if (!rule.valid().test(value)) {
                problems.add(rule.variable() + " must be " + rule.expectation());
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(productionProblems(properties));
            if (properties.getInt("aws.queue-retention-s") >= properties.getInt("aws.dlq-retention-s")) {
                problems.add("STOCK_DLQ_RETENTION_S must be longer than STOCK_QUEUE_RETENTION_S, or dead letters expire early");
            }
            problems.addAll(factoryScheduleProblems(properties));
            if (properties.get("simulator.enabled").equalsIgnoreCase("off")
                    && properties.get("factory.url").equals("http://localhost:" + properties.get("app.port") + "/simulator")) {
                problems.add("FACTORY_URL must name the factory when FACTORY_SIMULATOR is off");
            }
            if (properties.getInt("aws.api-call-timeout-ms") < properties.getInt("aws.poll-wait-s") * 1000 + 500) {
                problems.add("AWS_API_CALL_TIMEOUT_MS must exceed AWS_POLL_WAIT_S by at least 500 ms, or every long poll times out");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid configuration, not starting: " + String.join("; ", problems));
        }
        if (properties.get("security.admin-token").equals(DEV_ADMIN_TOKEN)) {
            LOG.info("Admin token (local development default, set ADMIN_TOKEN to change): {}", DEV_ADMIN_TOKEN);
        }
    }

    /**
     * How the SQS timeouts, the lease and the retry schedule must relate (docs/design.md, rule 8: every
     * restock request ends). The lease must outlast the whole retry schedule, or a second consumer
     * takes over a request the first still retries. The visibility of a message being worked on is
     * extended every half visibility timeout, and that call must be able to finish in time. A
     * message whose receive was lost comes back after the visibility timeout; the publish deadline
     * must leave it that long, or every such hiccup publishes the request again.
     */
    private static List<String> factoryScheduleProblems(Settings properties) {
        List<String> problems = new ArrayList<>();
        long timeout = properties.getInt("factory.timeout-ms");
        long delay = properties.getInt("factory.retry-delay-ms");
        long maxDelay = properties.getInt("factory.max-retry-delay-ms");
        int attempts = properties.getInt("factory.retry-attempts");
        long scheduleMs = (attempts + 1) * timeout;
        for (int i = 0; i < attempts; i++) {
            scheduleMs += Math.min(maxDelay, delay << Math.min(i, 30));
        }
        long leaseMs = properties.getInt("factory.lease-s") * 1000L;
        if (leaseMs <= scheduleMs) {
            problems.add("FACTORY_LEASE_S must be longer than the factory retry schedule (" + (scheduleMs / 1000 + 1)
                    + " s with FACTORY_TIMEOUT_MS, FACTORY_RETRY_ATTEMPTS and FACTORY_RETRY_DELAY_MS as set)");
        }
        int visibilityS = properties.getInt("aws.visibility-timeout-s");
        if (visibilityS * 1000L < 2L * properties.getInt("aws.api-call-timeout-ms")) {
            problems.add("STOCK_QUEUE_VISIBILITY_TIMEOUT_S must be at least twice AWS_API_CALL_TIMEOUT_MS, so that a message's"
                    + " visibility can be extended before it runs out");
        }
        if (properties.getInt("restock.publish-deadline-s") <= visibilityS + properties.getInt("aws.poll-wait-s")) {
            problems.add("RESTOCK_PUBLISH_DEADLINE_S must be longer than STOCK_QUEUE_VISIBILITY_TIMEOUT_S + AWS_POLL_WAIT_S:"
                    + " a message whose receive was lost comes back only after its visibility timeout");
        }
        if (properties.getInt("outbox.claim-s") * 1000L <= properties.getInt("aws.api-call-timeout-ms")) {
            problems.add("OUTBOX_CLAIM_S must be longer than AWS_API_CALL_TIMEOUT_MS: a claim that runs out while its SNS"
                    + " call is still waiting lets another replica publish the same request");
        }
        return problems;
    }

    private static List<String> productionProblems(Settings properties) {
        boolean realAws = properties.get("aws.endpoint-url").isBlank();
        List<String> problems = new ArrayList<>();
        if (realAws && properties.get("simulator.enabled").equalsIgnoreCase("on")) {
            problems.add("FACTORY_SIMULATOR must be off when running against AWS");
        }
        if (realAws && properties.get("security.admin-token").equals(DEV_ADMIN_TOKEN)) {
            problems.add("ADMIN_TOKEN must be set to a secret of your own when running against AWS");
        }
        if (realAws && properties.get("security.callback-secret").equals(DEV_CALLBACK_SECRET)) {
            problems.add("CALLBACK_SECRET must be set to a secret of your own when running against AWS");
        }
        return problems;
    }

    /**
     * Every setting whose default is a whole number must be one, 0 or more (the smallest the app
     * means by any of them), and every true-or-false setting true or false; a setting with a rule
     * above is held to that rule instead. Read off application.properties, so that a new setting is held to its kind as it comes.
     */
    private static List<Rule> kinds(CamelContext context) {
        Set<String> ruled = RULES.stream().map(Rule::property).collect(Collectors.toSet());
        List<Rule> kinds = new ArrayList<>();
        for (Setting setting : settings(context)) {
            if (ruled.contains(setting.property())) {
                continue;
            }
            if (setting.fallback().matches("\\d+")) {
                kinds.add(intRule(setting.property(), setting.variable(), 0, Integer.MAX_VALUE));
            } else if (setting.fallback().equals("true") || setting.fallback().equals("false")) {
                kinds.add(booleanRule(setting.property(), setting.variable()));
            }
        }
        return kinds;
    }

    private static List<Setting> settings(CamelContext context) {
        List<Setting> settings = new ArrayList<>();
        try (InputStream in = context.getClassResolver().loadResourceAsStream("application.properties")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                Matcher setting = ENV_SETTING.matcher(line);
                if (setting.matches()) {
                    settings.add(new Setting(setting.group(1), setting.group(2), setting.group(3)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("application.properties cannot be read", e);
        }
        return settings;
    }

    private static Rule intRule(String property, String variable, int min, int max) {
        String range = max == Integer.MAX_VALUE ? "a whole number, " + min + " or more" : "a whole number from " + min + " to " + max;
        return new Rule(property, variable, range, v -> {
            try {
                int n = Integer.parseInt(v);
                return n >= min && n <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        });
    }

    private static Rule booleanRule(String property, String variable) {
        return new Rule(property, variable, "true or false", v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"));
    }

    private static Rule rateRule(String property, String variable) {
        return new Rule(property, variable, "a number from 0 to 1", v -> {
            try {
                double rate = Double.parseDouble(v);
                return rate >= 0 && rate <= 1;
            } catch (NumberFormatException e) {
                return false;
            }
        });
    }

    private static boolean emptyOrHttpUrl(String value) {
        return value.isEmpty() || httpUrl(value);
    }

    private static boolean httpUrl(String value) {
        try {
            URI uri = URI.create(value);
            return (uri.getScheme().equals("http") || uri.getScheme().equals("https")) && uri.getHost() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The resolved settings, environment overrides applied; the rules above have checked their form. */
    private record Settings(CamelContext context) {

        String get(String key) {
            return context.getPropertiesComponent().resolveProperty(key)
                    .orElseThrow(() -> new IllegalStateException("Missing application property " + key)).trim();
        }

        int getInt(String key) {
            return Integer.parseInt(get(key));
        }
    }
}
