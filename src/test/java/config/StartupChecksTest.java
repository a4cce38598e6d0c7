package config;

import java.util.Map;
import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The app refuses to start half-configured, and says which variable to fix. */
class StartupChecksTest {

    static Object[][] refusals() {
        return new Object[][] {
                {Map.of("app.port", "eighty"), "PORT must be a whole number"},
                {Map.of("app.management-port", "70000"), "MANAGEMENT_PORT must be a whole number from 1 to 65535"},
                {Map.of("db.url", "jdbc:postgresql://db/x"), "DB_URL must be"},
                {Map.of("simulator.failure-rate", "2"), "SIMULATOR_FAILURE_RATE must be a number from 0 to 1"},
                {Map.of("ops.email", "not-an-address"), "OPS_EMAIL must be an email address"},
                {Map.of("aws.endpoint-url", ""), "ADMIN_TOKEN must be set to a secret of your own"},
                {Map.of("aws.endpoint-url", ""), "CALLBACK_SECRET must be set to a secret of your own"},
                {Map.of("aws.endpoint-url", "", "simulator.enabled", "on"), "FACTORY_SIMULATOR must be off when running against AWS"},
                {Map.of("simulator.enabled", "off"), "FACTORY_URL must name the factory"},
                {Map.of("factory.lease-s", "20"), "FACTORY_LEASE_S must be longer than the factory retry schedule"},
                {Map.of("aws.visibility-timeout-s", "15"), "STOCK_QUEUE_VISIBILITY_TIMEOUT_S must be at least twice AWS_API_CALL_TIMEOUT_MS"},
                {Map.of("restock.publish-deadline-s", "35"), "RESTOCK_PUBLISH_DEADLINE_S must be longer than STOCK_QUEUE_VISIBILITY_TIMEOUT_S"},
                {Map.of("outbox.claim-s", "10"), "OUTBOX_CLAIM_S must be longer than AWS_API_CALL_TIMEOUT_MS"},
                {Map.of("restock.republish-attempts", "-1"), "RESTOCK_REPUBLISH_ATTEMPTS must be a whole number from 0 to 100"},
                {Map.of("aws.poll-wait-s", "20"), "AWS_POLL_WAIT_S by at least 500 ms"},
                {Map.of("aws.dlq-retention-s", "60"), "STOCK_DLQ_RETENTION_S must be longer than STOCK_QUEUE_RETENTION_S"},
                {Map.of("simulator.max-pending-deliveries", "-1"), "SIMULATOR_MAX_PENDING_DELIVERIES must be a whole number"},
                {Map.of("simulator.max-orders-counted", "lots"), "SIMULATOR_MAX_ORDERS_COUNTED must be a whole number"},
        };
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesToStartNamingTheVariable(Map<String, String> settings, String complaint) {
        assertThatThrownBy(() -> check(settings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(complaint);
    }

    @Test
    void neverPutsASecretInItsComplaint() {
        assertThatThrownBy(() -> check(Map.of("security.admin-token", "short-secret", "app.port", "0")))
                .hasMessageContaining("ADMIN_TOKEN must be at least 16 characters")
                .message().doesNotContain("short-secret");
    }

    @Test
    void acceptsTheLocalDefaults() throws Exception {
        check(Map.of());
    }

    private static void check(Map<String, String> settings) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            Properties overrides = new Properties();
            // A local run: the emulator and the simulator, as ./run.sh sets them.
            overrides.put("aws.endpoint-url", "http://localhost:4566");
            overrides.put("simulator.enabled", "on");
            overrides.putAll(settings);
            context.getPropertiesComponent().setOverrideProperties(overrides);
            new StartupChecks().configure(context);
        }
    }
}
