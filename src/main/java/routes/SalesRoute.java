package routes;

import api.ApiException;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import operations.TraceContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Predicate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.SqlConstants;
import org.apache.camel.model.errorhandler.SpringTransactionErrorHandlerDefinition;
import org.apache.camel.support.ExpressionAdapter;
import sales.Batch;
import sales.Order;
import sales.OrderBatches;
import sales.SaleOutcome;

import static org.apache.camel.support.builder.ExpressionBuilder.bodyExpression;

/**
 * A customer's order takes stock or fails cleanly. A stock-out (or a sale that leaves stock at
 * the product's reorder point) opens the product's one restock request in the same
 * transaction; the outbox route publishes it. Orders that arrive together are sold in batches,
 * one transaction each, whatever their products (see {@link OrderBatches}).
 */
public class SalesRoute extends RouteBuilder {

    /** Where OrderBatches (the sell step below) sends each batch of orders. */
    public static final String SELL_A_BATCH = "direct:sell";
    /** The variable that holds the {@link Batch} the sell route is selling. */
    private static final String BATCH = "batch";
    /** Set when an Idempotency-Key's first order answers again: it was sold once, and is counted once. */
    private static final String REPLAYED = "replayed";
    /** A non-empty list in the body: rows to write, or SKUs to look up. */
    private static final Predicate ANY_ROWS = exchange -> !exchange.getMessage().getBody(List.class).isEmpty();

    @Override
    public void configure() {
        // Refused before anything could be sold (404, 422); a 409 is out of stock. What the OpenAPI
        // document refuses never gets here, and is counted by api.RequestContract.
        Predicate rejected = simple("${header.CamelHttpResponseCode} range '400..499' && ${header.CamelHttpResponseCode} != 409");

        // The body is a sales.OrderInput.
        from("direct:placeOrder").routeId("place-order").routeConfigurationId(ApiErrorHandling.ID)
                .onCompletion().modeBeforeConsumer().onWhen(rejected).bean("businessMetrics", "orderRejected").end()
                .process(TraceContext.OF_CALLER)
                .setBody(method("orderRequests", "order"))
                .to("direct:order");

        // The seed's button: one of the default product, same answers as POST /api/orders.
        from("direct:checkout").routeId("checkout").routeConfigurationId(ApiErrorHandling.ID)
                .onCompletion().modeBeforeConsumer().onWhen(rejected).bean("businessMetrics", "orderRejected").end()
                .process(TraceContext.OF_CALLER)
                .setBody(method("orderRequests", "checkout"))
                .to("direct:order");

        from("direct:order").routeId("sales").routeConfigurationId(ApiErrorHandling.ID)
                // Typed reads of the Order, not simple's ${body.sku}: that calls the getter by
                // reflection on every order, and this route runs for every order.
                .setProperty(TraceContext.SKU, bodyExpression(Order.class, Order::sku))
                .setProperty(TraceContext.ORDER_ID, bodyExpression(Order.class, Order::orderId))
                // Until the order is sold or refused: an order whose Idempotency-Key another order
                // took meanwhile goes round again, and is answered with that one.
                .loopDoWhile(body().isInstanceOf(Order.class))
                    .filter(exchange -> exchange.getMessage().getBody(Order.class).idempotencyKey() != null)
                        .to("sql:classpath:sql/orders/find-by-idempotency-key.sql?outputType=SelectOne&outputHeader=previousOrder")
                    .end()
                    .choice()
                        .when(header("previousOrder").isNotNull())
                            .bean("orderRequests", "replay")
                            .setVariable(REPLAYED, constant(true))
                        .otherwise()
                            .to("direct:sellInBatch")
                            .filter(body().isInstanceOf(SaleOutcome.KeyTakenMeanwhile.class))
                                .setBody(bodyExpression(SaleOutcome.KeyTakenMeanwhile.class, SaleOutcome.KeyTakenMeanwhile::order))
                            .end()
                    .end()
                .end()
                .choice()
                    .when(body().isInstanceOf(SaleOutcome.Sold.class))
                        .filter(variable(REPLAYED).isNull())
                            .bean("businessMetrics", "orderSold")
                        .end()
                        .setProperty(TraceContext.ORDER_ID, bodyExpression(SaleOutcome.Sold.class, SaleOutcome.Sold::orderId))
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201))
                    .endChoice()
                    .when(body().isInstanceOf(SaleOutcome.UnknownProduct.class))
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(404))
                        .setBody(constant(ApiException.unknownSku().toError()))
                    .otherwise()
                        .bean("businessMetrics", "orderOutOfStock")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(409));

        // The order's batch is sold again should the database choose it as a deadlock's victim
        // (ApiErrorHandling.SELLING); a route of its own, so that only this step pays for being
        // redeliverable.
        from("direct:sellInBatch").routeId("sell-in-batch").routeConfigurationId(ApiErrorHandling.SELLING)
                .bean("orderBatches", "sell");

        // One batch of orders, of one product or several, in arrival order, in one transaction. A
        // failure rolls the whole batch back and is handed to each of its orders by OrderBatches,
        // whose route logs it where it is answered (or, for an Idempotency-Key sold meanwhile by
        // another batch, sends the order round again). The batch logs no rollback of its own: fifty
        // clients sending one key at once would otherwise write warnings with message history.
        from(SELL_A_BATCH).routeId("sell")
                .errorHandler(new SpringTransactionErrorHandlerDefinition().rollbackLoggingLevel(LoggingLevel.DEBUG))
                .onException(Exception.class).handled(true)
                    .retriesExhaustedLogLevel(LoggingLevel.DEBUG).logExhaustedMessageHistory(false)
                    .markRollbackOnly()
                .end()
                .transacted()
                .setVariable(BATCH, body())
                .to("sql:classpath:sql/orders/lock-stock.sql")
                // Each product's orders in arrival order, from the stock on its locked row. An unknown
                // SKU has no row: its orders are answered 404 by OrderBatches and write nothing.
                .setBody(batch(Batch::sellFrom))
                .filter(ANY_ROWS)
                    .to("sql:classpath:sql/orders/take-stock.sql?batch=true")
                    .filter(exchange -> exchange.getMessage().getHeader(SqlConstants.SQL_UPDATE_COUNT, Integer.class)
                            != exchange.getMessage().getBody(List.class).size())
                        .throwException(new IllegalStateException("A product's stock did not cover what its locked row said"))
                    .end()
                .end()
                .setBody(batch(Batch::soldRows))
                .filter(ANY_ROWS)
                    .to("sql:classpath:sql/orders/insert.sql?batch=true")
                    .to("sql:classpath:sql/orders/record-sale.sql?batch=true")
                .end()
                .setBody(batch(Batch::restockCandidates))
                .filter(ANY_ROWS)
                    .to("sql:classpath:sql/orders/open-requests.sql")
                    .split(batch(Batch::restockOpenings))
                        .to("sql:classpath:sql/restock/open-request.sql")
                        .filter(header(SqlConstants.SQL_UPDATE_COUNT).isEqualTo(1))
                            // The first line of the restock's story: its id, with the order and trace that opened it.
                            .setProperty(TraceContext.REQUEST_ID, simple("${body.requestId}"))
                            .setProperty(TraceContext.SKU, simple("${body.sku}"))
                            .setProperty(TraceContext.ORDER_ID, simple("${body.orderId}"))
                            .setProperty(TraceContext.TRACE_ID, simple("${body.traceId}"))
                            .log("Restock request ${body.requestId} opened for ${body.sku} by order ${body.orderId} (${body.stockLeft} left)")
                        .end()
                    .end()
                .end();
    }

    // Typed steps of the batch, where simple's ${variable.batch.sellFrom(${body})} would look the
    // method up by reflection on every batch.
    private static Expression batch(Function<Batch, ?> read) {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                return read.apply(exchange.getVariable(BATCH, Batch.class));
            }
        };
    }

    private static Expression batch(BiFunction<Batch, List<Map<String, Object>>, ?> step) {
        return new ExpressionAdapter() {
            @Override
            @SuppressWarnings("unchecked")
            public Object evaluate(Exchange exchange) {
                return step.apply(exchange.getVariable(BATCH, Batch.class), exchange.getMessage().getBody(List.class));
            }
        };
    }
}
