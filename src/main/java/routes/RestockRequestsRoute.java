package routes;

import api.ApiException;
import api.HttpRequestAllowlist;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.SqlConstants;
import restock.RestockRequest;

import static api.HttpRequestAllowlist.AUTHORIZATION;

/**
 * The operator's view of the restock pipeline, newest request first, and the way to send a
 * FAILED request again once its cause is fixed (README, Operations).
 */
public class RestockRequestsRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:listRestockRequests").routeId("list-restock-requests").routeConfigurationId(ApiErrorHandling.ID)
                .process(HttpRequestAllowlist.none().headers(AUTHORIZATION).query("status"))
                .bean("adminAuthorization", "check")
                .setHeader("status", method("restockRequestQueries", "statusFilter"))
                .choice()
                    .when(header("status").isNull())
                        .to("sql:classpath:sql/restock/list.sql")
                    .otherwise()
                        .to("sql:classpath:sql/restock/list-by-status.sql")
                .end()
                .setBody(method(RestockRequest.class, "fromRows"))
                .bean("jsonResponses", "ok");

        from("direct:retryRestockRequest").routeId("retry-restock-request").routeConfigurationId(ApiErrorHandling.ID)
                .process(HttpRequestAllowlist.none().headers(AUTHORIZATION).path("id"))
                .bean("adminAuthorization", "check")
                .setVariable("requestId", method("restockRequestQueries", "checkId"))
                .to("sql:classpath:sql/restock/find.sql?outputType=SelectOne")
                .filter(body().isNull())
                    .throwException(ApiException.notFound("UNKNOWN_REQUEST", "No such restock request."))
                .end()
                .setVariable("round", simple("${body[retries]}"))
                .to("sql:classpath:sql/restock/retry.sql")
                .filter(header(SqlConstants.SQL_UPDATE_COUNT).isEqualTo(0))
                    .throwException(new ApiException(409, "NOT_FAILED", "Only a FAILED restock request can be retried."))
                .end()
                .to("sql:classpath:sql/restock/find.sql?outputType=SelectOne")
                .setBody(method(RestockRequest.class, "fromRow"))
                .bean("jsonResponses", "accepted");
    }
}
