package routes;

import api.ApiContract;
import api.HttpRequestAllowlist;
import org.apache.camel.builder.RouteBuilder;

/**
 * The HTTP contract (src/main/resources/openapi/donut-states.yaml, contract first): every one of
 * its operations is served, and routed to {@code direct:<operationId>}, implemented by the route
 * of its flow (ProductRoute, SalesRoute, RestockRoute, RestockRequestsRoute, and the document
 * itself here). An operation without its route, or a route the document does not name, stops the
 * start. A path the document does not name is answered 404 or 405 at the HTTP edge (http.HttpEdge).
 */
public class ApiContractRoute extends RouteBuilder {

    @Override
    public void configure() {
        // Routed by the document's paths and operations, as ApiContract.routingView() gives them.
        rest().openApi().specification(ApiContract.ROUTING_VIEW).missingOperation("fail");

        from("direct:openApiYaml").routeId("api-docs").routeConfigurationId(ApiErrorHandling.ID)
                .process(HttpRequestAllowlist.none())
                .bean("apiContract", "yaml");

        from("direct:openApiJson").routeId("api-docs-json").routeConfigurationId(ApiErrorHandling.ID)
                .process(HttpRequestAllowlist.none())
                .bean("apiContract", "json");
    }
}
