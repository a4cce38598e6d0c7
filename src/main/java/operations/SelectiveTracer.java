package operations;

import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.spi.RoutePolicy;

/**
 * Camel's OpenTelemetry tracer, told which routes start no span of their own and which endpoints
 * it never traces (tracing.untraced-routes, tracing.untraced-endpoints in application.properties).
 * A route that polls rows (the outbox, the sweeps) acts on restock requests that each carry the
 * trace of their own order: with no span of the poll's, its first call continues that trace
 * (TraceContext.OF_REQUEST). Both are looked up by name, not by the tracer's exclude patterns,
 * which compile a regular expression on every call and every span.
 */
public final class SelectiveTracer extends OpenTelemetryTracer {

    private final Set<String> untracedRoutes;
    private final List<String> untracedEndpoints;

    /** @param untracedEndpoints endpoint URIs as Camel normalises them (http://name?…), matched by prefix */
    public SelectiveTracer(Set<String> untracedRoutes, List<String> untracedEndpoints) {
        this.untracedRoutes = Set.copyOf(untracedRoutes);
        this.untracedEndpoints = List.copyOf(untracedEndpoints);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return untracedRoutes.contains(routeId) ? null : super.createRoutePolicy(camelContext, routeId, route);
    }

    @Override
    public boolean exclude(String endpointUri, CamelContext context) {
        if (endpointUri != null) {
            for (String untraced : untracedEndpoints) {
                if (endpointUri.startsWith(untraced)) {
                    return true;
                }
            }
        }
        return false;
    }
}
