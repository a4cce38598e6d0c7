package routes;

import api.ApiException;
import api.HttpRequestAllowlist;
import api.ListPages;
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
        // A page at a time, newest first (api/ListPages); a cursor names the request the page starts after.
        from("direct:listRestockRequests").routeId("list-restock-requests").routeConfigurationId(ApiErrorHandling.ID)
                .process(HttpRequestAllowlist.none().headers(AUTHORIZATION).query("status", "sku", "limit", "cursor"))
                .bean("adminAuthorization", "check")
                .setHeader("status", method("restockRequestQueries", "statusFilter"))
                .setHeader("sku", method("restockRequestQueries", "skuFilter"))
                .setHeader("rows", method("restockRequestPages", "rowsToRead"))
                .setHeader("after", method("restockRequestPages", "after"))
                .filter(header("after").isNotNull())
                    .to("sql:classpath:sql/restock/page-start.sql?outputType=SelectOne&outputHeader=cursorFound")
                    .filter(header("cursorFound").isEqualTo(0))
                        .throwException(ListPages.invalidCursor())
                    .end()
                .end()
                .choice()
                    .when(header("after").isNull())
                        .to("sql:classpath:sql/restock/list.sql")
                    .otherwise()
                        .to("sql:classpath:sql/restock/list-after.sql")
                .end()
                .bean("restockRequestPages", "cut")
                .setBody(method(RestockRequest.class, "fromRows"))
                .bean("jsonResponses", "ok")
                .bean("restockRequestPages", "announceNext");

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
