package config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import operations.SelectiveTracer;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Tracing with Camel's OpenTelemetry support (camel-opentelemetry2), off unless
 * OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: then the SDK is
 * configured from the standard OTEL_* variables and exports spans over OTLP. Off, nothing of it is
 * made and no exchange pays for it. Either way the trace context travels with each restock
 * (operations.TraceContext; docs/operations.md, "Following one restock").
 */
public class TracingConfiguration implements CamelConfiguration {

    /** Bound by a test that keeps its spans in memory; when absent, the environment decides. */
    static final String OPEN_TELEMETRY = "openTelemetry";

    /**
     * Defaults under the OTEL_* variables, which win over them. OTLP goes over HTTP with the JDK's
     * own client (the jar has no gRPC sender); metrics stay with Prometheus and logs on stdout.
     */
    private static final Map<String, String> DEFAULTS = Map.of(
            "otel.service.name", "donut-states",
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none");

    @Override
    public void configure(CamelContext context) throws Exception {
        OpenTelemetry openTelemetry = context.getRegistry().lookupByNameAndType(OPEN_TELEMETRY, OpenTelemetry.class);
        if (openTelemetry == null) {
            if (context.resolvePropertyPlaceholders("{{tracing.otlp-endpoint}}").isBlank()) {
                return;
            }
            OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> DEFAULTS)
                    .disableShutdownHook()
                    .build()
                    .getOpenTelemetrySdk();
            context.addService(new SdkShutdown(sdk), true, true);
            openTelemetry = sdk;
        }
        // Camel's tracer takes the one Tracer and ContextPropagators it finds in the registry.
        context.getRegistry().bind("otelTracer", Tracer.class, openTelemetry.getTracer("donut-states"));
        context.getRegistry().bind("otelPropagators", ContextPropagators.class, openTelemetry.getPropagators());
        new SelectiveTracer(Set.of(list(context, "tracing.untraced-routes")), List.of(list(context, "tracing.untraced-endpoints")))
                .init(context);
    }

    private static String[] list(CamelContext context, String property) {
        String value = context.resolvePropertyPlaceholders("{{" + property + "}}").trim();
        return value.isEmpty() ? new String[0] : value.split("\\s*,\\s*");
    }

    /** Sends the spans still waiting in the batch when the app stops. */
    private static final class SdkShutdown extends ServiceSupport {

        private final OpenTelemetrySdk sdk;

        SdkShutdown(OpenTelemetrySdk sdk) {
            this.sdk = sdk;
        }

        @Override
        protected void doStop() {
            sdk.close();
        }
    }
}
