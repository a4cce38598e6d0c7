package e2e;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing on: OTEL_EXPORTER_OTLP_ENDPOINT is set, to a port where nothing listens. Camel's tracer
 * makes the spans and their context travels (through the SNS envelope on SQS included); their
 * export fails, and the SDK's report of that is a JSON line of the log like any other.
 */
class JsonLogsFollowOneTracedRestockIT extends OneRestockInJsonLogs {

    JsonLogsFollowOneTracedRestockIT() {
        // Spans are sent every 200 ms instead of every 5 s, so that their export is tried while the test reads the log.
        super(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + Ports.free(), "OTEL_BSP_SCHEDULE_DELAY", "200"));
    }

    @Override
    void assertTracingMode(String storedTraceparent) {
        // The order's span, a child of the customer's: the customer's trace, a span id of the app's.
        assertThat(storedTraceparent).startsWith("00-" + CUSTOMER_TRACE_ID + "-").doesNotContain(CUSTOMER_SPAN_ID);
        assertThat(lines()).anyMatch(line -> line.path("loggerName").asText().equals("org.apache.camel.opentelemetry2.OpenTelemetryTracer"));
        await("the SDK's report that the spans could not be sent").atMost(Duration.ofSeconds(20))
                .until(() -> lines().stream().anyMatch(line -> line.path("level").asText().equals("ERROR")
                        && line.path("formattedMessage").asText().startsWith("Failed to export spans")));
    }
}
