package routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * The HTTP contract (src/main/resources/openapi/donut-states.yaml, contract first): every one of
 * its operations is served, and routed to {@code direct:<operationId>}, implemented by the route
 * of its flow (ProductRoute, SalesRoute, RestockRoute, RestockRequestsRoute, and the document
 * itself here). An operation without its route stops the start. Requests are held to the
 * document before their route runs (api.RequestContract); JSON is bound to the routes' records
 * by the REST DSL (camel.rest.binding-mode).
 */
public class ApiContractRoute extends RouteBuilder {

    /** The route that serves every request of the contract (http.UnservedPaths answers the paths it does not name). */
    public static final String ROUTE_ID = "api";

    @Override
    public void configure() {
        rest().openApi().specification("ref:openapi.json").routeId(ROUTE_ID).missingOperation("fail");

        from("direct:openApiYaml").routeId("api-docs").routeConfigurationId(ApiErrorHandling.ID)
                .setBody(method("apiDocument", "yaml"))
                .setHeader("Content-Type", constant("application/yaml"));

        from("direct:openApiJson").routeId("api-docs-json").routeConfigurationId(ApiErrorHandling.ID)
                .setBody(method("apiDocument", "json"));
    }
}
