package e2e;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing off, the default: no span is made, and the app carries the customer's traceparent on
 * unchanged, stored with the request, through SNS and SQS, to the factory and in the CallbackUrl.
 */
class JsonLogsFollowOneRestockIT extends OneRestockInJsonLogs {

    JsonLogsFollowOneRestockIT() {
        super(Map.of());
    }

    @Override
    void assertTracingMode(String storedTraceparent) {
        assertThat(storedTraceparent).isEqualTo(CUSTOMER_TRACEPARENT);
        assertThat(lines()).noneMatch(line -> line.path("loggerName").asText().startsWith("org.apache.camel.opentelemetry2"));
    }
}
