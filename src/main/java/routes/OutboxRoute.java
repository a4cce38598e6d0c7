package routes;

import operations.Outages;
import operations.TraceContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.SqlConstants;
import restock.StoredRequest;

/**
 * No restock request is lost (docs/design.md, rule 3): every one is published to SNS from its stored row,
 * and again (with growing pauses) until SNS accepts it. An SNS outage delays restocks; it loses
 * none and never slows a sale, which only writes the row. The message carries the request's id
 * and round, the same on every publish. Every replica polls the same rows; the one whose claim on
 * a row applies publishes it, so a request is published once, and again only after a failure.
 */
public class OutboxRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("sql:classpath:sql/restock/unpublished.sql?delay={{outbox.poll-delay-ms}}"
                + "&maxMessagesPerPoll={{outbox.batch-size}}&useIterator=true&{{database-polls}}")
                .routeId("outbox")
                .onException(Exception.class).handled(true)
                    .setVariable("error", method("failures", "snsPublish"))
                    .setVariable("maxBackoffSeconds", simple("${properties:outbox.max-backoff-s}"))
                    .setBody(variable("request"))
                    // SNS or the database not answering is an outage's, logged as one (operations.Outages).
                    .filter(method(Outages.class, "unreachable(${exception})").isEqualTo(false))
                        .log(LoggingLevel.WARN, "Restock request ${body.id} not published yet, will retry: ${exception.message}")
                    .end()
                    .to("sql:classpath:sql/restock/publish-failed.sql")
                .end()
                .setBody(method(StoredRequest.class, "fromRow"))
                .setVariable("request", body())
                .to("sql:classpath:sql/restock/claim-publish.sql")
                .filter(header(SqlConstants.SQL_UPDATE_COUNT).isEqualTo(1))
                .removeHeaders("*")
                // The order's trace context, from the row: published as the traceparent attribute.
                .process(TraceContext.OF_REQUEST)
                .setHeader("ProductId", simple("${body.sku}"))
                .setHeader("FactoryId", simple("${body.factoryId}"))
                .setHeader("RequestId", simple("${body.id}"))
                .setHeader("Quantity", simple("${body.quantity}"))
                .setBody(method("restockMessages", "notification"))
                .to("{{stock-topic.uri}}")
                .setBody(variable("request"))
                .bean("businessMetrics", "published")
                .to("sql:classpath:sql/restock/mark-published.sql")
                .choice()
                    .when(header(SqlConstants.SQL_UPDATE_COUNT).isEqualTo(1))
                        .log("Restock request ${body.id} for ${body.sku} published")
                    .otherwise()
                        // Its claim ran out during the call and another replica published it too,
                        // or ops retried it meanwhile: the factory step still orders it once.
                        .log(LoggingLevel.WARN, "Restock request ${body.id} for ${body.sku} published, but it had"
                                + " already moved on; the factory orders it once");
    }
}
