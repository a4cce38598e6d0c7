package routes;

import api.ApiException;
import operations.TraceContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.SqlConstants;
import restock.Delivery;

/**
 * The factory's delivery callback. The signature proves the URL is one we handed out; the
 * stored request says how much to add, and adds it once however often the factory calls.
 */
public class RestockRoute extends RouteBuilder {

    static final String ADDED = "added";

    @Override
    public void configure() {
        from("direct:restockCallback").routeId("restock").routeConfigurationId(ApiErrorHandling.ID)
                // The CallbackUrl carries the trace context of the factory call (docs/operations.md, "Following one restock").
                .process(TraceContext.OF_CALLER)
                .bean("callbackSigner", "verify")
                .setProperty(TraceContext.REQUEST_ID, header("request"))
                .to("direct:fulfil")
                .setBody(method(Delivery.class, "of(${header.callbackResult}, ${variable.added})"))
                .setProperty(TraceContext.SKU, simple("${body.sku}"))
                .log("Restock request ${header.request} delivered: ${body.added} of ${body.sku} added, ${body.stock} in stock");

        from("direct:fulfil").routeId("fulfil").routeConfigurationId(ApiErrorHandling.TRANSACTED)
                .transacted()
                .to("sql:classpath:sql/restock/fulfil.sql")
                .setVariable(ADDED, header(SqlConstants.SQL_UPDATE_COUNT))
                .filter(variable(ADDED).isEqualTo(1))
                    .to("sql:classpath:sql/restock/add-stock.sql")
                    .to("sql:classpath:sql/restock/record-restock.sql")
                .end()
                .to("sql:classpath:sql/restock/callback-result.sql?outputType=SelectOne&outputHeader=callbackResult")
                .filter(header("callbackResult").isNull())
                    .throwException(ApiException.notFound("UNKNOWN_REQUEST", "No such restock request."))
                .end();
    }
}
