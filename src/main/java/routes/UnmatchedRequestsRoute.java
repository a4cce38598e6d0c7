package routes;

import api.HttpRequestAllowlist;
import org.apache.camel.builder.RouteBuilder;

/**
 * The last route to match any path: an unknown path or a wrong method gets the API's JSON
 * error (404 or 405) instead of the HTTP server's plain page.
 */
public class UnmatchedRequestsRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/?matchOnUriPrefix=true").routeId("unmatched-requests").routeConfigurationId(ApiErrorHandling.ID)
                .process(HttpRequestAllowlist.none())
                .bean("unmatchedRequests", "refuse");
    }
}
