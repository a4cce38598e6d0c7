package routes;

import api.ApiException;
import api.ListPages;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.SqlConstants;
import restock.RestockRequest;

/**
 * The operator's view of the restock pipeline, newest request first, and the way to send a
 * FAILED request again once its cause is fixed (docs/operations.md). Both are admin operations:
 * the OpenAPI document says so, and the token is checked before the route runs (api.RequestContract).
 */
public class RestockRequestsRoute extends RouteBuilder {

    @Override
    public void configure() {
        // A page at a time, newest first (api/ListPages); a cursor names the request the page starts after.
        from("direct:listRestockRequests").routeId("list-restock-requests").routeConfigurationId(ApiErrorHandling.ID)
                .setHeader("status", method(RestockRequest.class, "statusFilter"))
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
                .setBody(method(RestockRequest.class, "fromRows"));

        from("direct:retryRestockRequest").routeId("retry-restock-request").routeConfigurationId(ApiErrorHandling.ID)
                .setVariable("requestId", header("id"))
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
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202));
    }
}
