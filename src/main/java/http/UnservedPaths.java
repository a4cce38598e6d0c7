package http;

import api.ApiError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * A path the OpenAPI document does not name is answered 404, and a method it does not name for a
 * known path 405 with an Allow header, by Camel's contract-first REST DSL (routes/ApiContractRoute)
 * but with no body: this gives those answers the API's error shape, on the route that serves the
 * contract.
 */
public final class UnservedPaths implements RoutePolicyFactory {

    private static final String ALLOW = "Allow";

    private final String contractRouteId;
    private final RoutePolicy policy;

    public UnservedPaths(String contractRouteId, ObjectMapper json) {
        this.contractRouteId = contractRouteId;
        this.policy = new RoutePolicySupport() {
            @Override
            public void onExchangeDone(Route route, Exchange exchange) {
                // An operation of the document, routed, carries the document; an unnamed path or method does not.
                Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
                if (exchange.getProperty(Exchange.REST_OPENAPI) != null || status == null || (status != 404 && status != 405)) {
                    return;
                }
                ApiError error;
                if (status == 404) {
                    error = new ApiError("NOT_FOUND", "There is nothing at this path.");
                } else {
                    // HEAD is answered wherever GET is (HttpEdge).
                    String allowed = exchange.getMessage().getHeader(ALLOW, String.class).replace("GET", "GET, HEAD");
                    exchange.getMessage().setHeader(ALLOW, allowed);
                    error = new ApiError("METHOD_NOT_ALLOWED", exchange.getMessage().getHeader(Exchange.HTTP_PATH) + " accepts "
                            + allowed + " only.");
                }
                try {
                    exchange.getMessage().setBody(json.writeValueAsString(error));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("The error shape cannot be written", e);
                }
                exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            }
        };
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        return contractRouteId.equals(routeId) ? policy : null;
    }
}
