package routes;

import beans.ApiException;
import org.apache.camel.Predicate;
import org.apache.camel.builder.RouteBuilder;

import static org.apache.camel.builder.PredicateBuilder.and;
import static org.apache.camel.builder.PredicateBuilder.or;
import org.apache.camel.component.sql.SqlConstants;
import org.springframework.dao.DuplicateKeyException;

/**
 * A customer's order takes stock or fails cleanly. A stock-out (or a sale that leaves stock at
 * the product's reorder point) opens the product's one restock request in the same
 * transaction; the outbox route publishes it.
 */
public class SalesRoute extends RouteBuilder {

    static final String SOLD = "sold";
    static final String IDEMPOTENCY_RACE = "idempotencyRace";

    @Override
    public void configure() {
        // Refused before anything could be sold (400, 404, 413, 415, 422); a 409 is out of stock.
        Predicate rejected = simple("${header.CamelHttpResponseCode} range '400..499' && ${header.CamelHttpResponseCode} != 409");

        rest()
                .post("/api/orders").to("direct:placeOrder")
                .post("/checkout").to("direct:checkout");

        from("direct:placeOrder").routeId("place-order").routeConfigurationId(ApiErrorHandling.ID)
                .onCompletion().modeBeforeConsumer().onWhen(rejected).bean("businessMetrics", "orderRejected").end()
                .bean("orderRequests", "parse")
                .to("direct:order");

        // The seed's button: one of the default product, same answers as POST /api/orders.
        from("direct:checkout").routeId("checkout").routeConfigurationId(ApiErrorHandling.ID)
                .onCompletion().modeBeforeConsumer().onWhen(rejected).bean("businessMetrics", "orderRejected").end()
                .bean("orderRequests", "checkout")
                .to("direct:order");

        from("direct:order").routeId("sales").routeConfigurationId(ApiErrorHandling.ID)
                .filter(simple("${body[idempotencyKey]} != null"))
                    .to("sql:classpath:sql/orders/find-by-idempotency-key.sql?outputType=SelectOne&outputHeader=previousOrder")
                .end()
                .choice()
                    .when(header("previousOrder").isNotNull())
                        .bean("orderRequests", "replay(${body}, ${header.previousOrder})")
                        .bean("views", "sold")
                        .bean("jsonResponses", "created")
                    .otherwise()
                        .to("direct:sell")
                        .choice()
                            .when(variable(IDEMPOTENCY_RACE).isEqualTo(true))
                                .removeVariable(IDEMPOTENCY_RACE)
                                .to("direct:order")
                            .when(header(SqlConstants.SQL_UPDATE_COUNT).isEqualTo(1))
                                .bean("businessMetrics", "orderSold")
                                .setBody(method("views", "sold(${body})"))
                                .bean("jsonResponses", "created")
                            .otherwise()
                                .bean("businessMetrics", "orderOutOfStock")
                                .setBody(method("views", "outOfStock(${body[sku]}, ${header.stockState[stock]})"))
                                .bean("jsonResponses", "conflict");

        from("direct:sell").routeId("sell").routeConfigurationId(ApiErrorHandling.TRANSACTED)
                // Two requests with one Idempotency-Key raced: this sale rolls back, and going
                // round again answers it with the winner's order.
                .onException(DuplicateKeyException.class).handled(true)
                    .markRollbackOnlyLast()
                    .setVariable(IDEMPOTENCY_RACE, constant(true))
                .end()
                .transacted()
                .to("sql:classpath:sql/orders/take-stock.sql")
                .setVariable(SOLD, header(SqlConstants.SQL_UPDATE_COUNT))
                .to("sql:classpath:sql/orders/stock-state.sql?outputType=SelectOne&outputHeader=stockState")
                .filter(header("stockState").isNull())
                    .throwException(ApiException.notFound("UNKNOWN_SKU", "No such product."))
                .end()
                .choice()
                    .when(variable(SOLD).isEqualTo(1))
                        .to("sql:classpath:sql/orders/insert.sql")
                        .to("sql:classpath:sql/orders/record-sale.sql")
                        .setBody(method("orderRequests", "withRemainingStock(${body}, ${header.stockState[stock]})"))
                .end()
                .filter(and(simple("${header.stockState[openRequestId]} == null"),
                        or(variable(SOLD).isEqualTo(0),
                           simple("${header.stockState[stock]} <= ${header.stockState[reorderPoint]}"))))
                    .to("sql:classpath:sql/restock/open-request.sql")
                .end()
                .setHeader(SqlConstants.SQL_UPDATE_COUNT, variable(SOLD));
    }
}
