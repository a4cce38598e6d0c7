package e2e;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing on: OTEL_EXPORTER_OTLP_ENDPOINT is set, to a port where nothing listens. Camel's tracer
 * makes the spans and their context travels (through the SNS envelope on SQS included); their
 * export fails, and the SDK's reports of that are JSON lines of the log like any other.
 */
class JsonLogsFollowOneTracedRestockIT extends OneRestockInJsonLogs {

    JsonLogsFollowOneTracedRestockIT() {
        // Spans are sent every 200 ms instead of every 5 s, so that their export is tried while the test reads the log.
        super(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + Ports.free(), "OTEL_BSP_SCHEDULE_DELAY", "200"));
    }

    @Override
    void assertStoredTraceContext(String traceparent) {
        // The order's span, a child of the customer's: the customer's trace, a span id of the app's.
        assertThat(traceparent).startsWith("00-" + CUSTOMER_TRACE_ID + "-").doesNotContain(CUSTOMER_SPAN_ID);
    }
}
