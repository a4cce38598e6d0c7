package config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

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
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    private record Rule(String property, String variable, String expectation, Predicate<String> valid) {
    }

    private static final List<Rule> RULES = List.of(
            intRule("app.port", "PORT", 1, 65535),
            new Rule("db.url", "DB_URL", "a jdbc:mysql:, jdbc:mariadb: or jdbc:h2: URL",
                    v -> v.startsWith("jdbc:mysql:") || v.startsWith("jdbc:mariadb:") || v.startsWith("jdbc:h2:")),
            intRule("db.pool-size", "DB_POOL_SIZE", 1, 200),
            intRule("db.connection-timeout-ms", "DB_CONNECTION_TIMEOUT_MS", 250, 600_000),
            new Rule("aws.region", "AWS_REGION", "an AWS region such as ap-northeast-2", v -> REGION.matcher(v).matches()),
            new Rule("aws.endpoint-url", "AWS_ENDPOINT_URL", "empty (real AWS) or an http(s) URL", StartupChecks::emptyOrHttpUrl),
            intRule("aws.api-call-timeout-ms", "AWS_API_CALL_TIMEOUT_MS", 100, 600_000),
            booleanRule("aws.provision", "AWS_PROVISION"),
            new Rule("aws.stock-topic", "STOCK_TOPIC", "a topic name or ARN", v -> RESOURCE_NAME.matcher(v).matches()),
            new Rule("aws.stock-queue", "STOCK_QUEUE", "a queue name", v -> RESOURCE_NAME.matcher(v).matches()),
            new Rule("aws.stock-dlq", "STOCK_DLQ", "a queue name", v -> RESOURCE_NAME.matcher(v).matches()),
            intRule("aws.queue-retention-s", "STOCK_QUEUE_RETENTION_S", 60, 1_209_600),
            intRule("aws.dlq-retention-s", "STOCK_DLQ_RETENTION_S", 60, 1_209_600),
            intRule("aws.max-receive-count", "STOCK_QUEUE_MAX_RECEIVE_COUNT", 1, 1000),
            intRule("aws.visibility-timeout-s", "STOCK_QUEUE_VISIBILITY_TIMEOUT_S", 0, 43_200),
            intRule("outbox.poll-delay-ms", "OUTBOX_POLL_MS", 10, 600_000),
            intRule("outbox.batch-size", "OUTBOX_BATCH_SIZE", 1, 1000),
            intRule("outbox.max-backoff-s", "OUTBOX_MAX_BACKOFF_S", 1, 3600),
            new Rule("sales.default-sku", "DEFAULT_SKU", "a product SKU", v -> v.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")),
            intRule("sales.max-quantity", "MAX_ORDER_QUANTITY", 1, 1_000_000),
            intRule("camel.server.max-body-size", "MAX_BODY_BYTES", 1024, 10_485_760),
            new Rule("security.admin-token", "ADMIN_TOKEN", "at least 16 characters", v -> v.length() >= 16),
            new Rule("security.callback-secret", "CALLBACK_SECRET", "at least 16 characters", v -> v.length() >= 16));

    @Override
    public void configure(CamelContext context) {
        Properties properties = new Properties(context);
        List<String> problems = new ArrayList<>();
        for (Rule rule : RULES) {
            String value = context.getPropertiesComponent().resolveProperty(rule.property()).orElse("").trim();
            if (!rule.valid().test(value)) {
                problems.add(rule.variable() + " must be " + rule.expectation());
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(productionSecretsProblems(properties));
            if (properties.getInt("aws.queue-retention-s") >= properties.getInt("aws.dlq-retention-s")) {
                problems.add("STOCK_DLQ_RETENTION_S must be longer than STOCK_QUEUE_RETENTION_S, or dead letters expire early");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid configuration, not starting: " + String.join("; ", problems));
        }
        if (properties.get("security.admin-token").equals(DEV_ADMIN_TOKEN)) {
            LOG.info("Admin token (local development default, set ADMIN_TOKEN to change): {}", DEV_ADMIN_TOKEN);
        }
    }

    private static List<String> productionSecretsProblems(Properties properties) {
        boolean realAws = properties.get("aws.endpoint-url").isBlank();
        List<String> problems = new ArrayList<>();
        if (realAws && properties.get("security.admin-token").equals(DEV_ADMIN_TOKEN)) {
            problems.add("ADMIN_TOKEN must be set to a secret of your own when running against AWS");
        }
        if (realAws && properties.get("security.callback-secret").equals(DEV_CALLBACK_SECRET)) {
            problems.add("CALLBACK_SECRET must be set to a secret of your own when running against AWS");
        }
        return problems;
    }

    private static Rule intRule(String property, String variable, int min, int max) {
        return new Rule(property, variable, "a whole number from " + min + " to " + max, v -> {
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

    private static boolean emptyOrHttpUrl(String value) {
        if (value.isEmpty()) {
            return true;
        }
        try {
            URI uri = URI.create(value);
            return (uri.getScheme().equals("http") || uri.getScheme().equals("https")) && uri.getHost() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
