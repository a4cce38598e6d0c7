package routes;

import api.HttpRequestAllowlist;
import org.apache.camel.builder.RouteBuilder;

/**
 * Serves the OpenAPI document of the HTTP contract (src/main/resources/openapi), in YAML and
 * JSON. Registered before UnmatchedRequestsRoute, whose catch-all would otherwise answer first.
 */
public class ApiDocsRoute extends RouteBuilder {

    @Override
    public void configure() {
        rest("/api")
                .get("/openapi.yaml").to("direct:apiDocsYaml")
                .get("/openapi.json").to("direct:apiDocsJson");

        from("direct:apiDocsYaml").routeId("api-docs").routeConfigurationId(ApiErrorHandling.ID)
                .process(HttpRequestAllowlist.none())
                .bean("apiDocs", "yaml");

        from("direct:apiDocsJson").routeId("api-docs-json").routeConfigurationId(ApiErrorHandling.ID)
                .process(HttpRequestAllowlist.none())
                .bean("apiDocs", "json");
    }
}
