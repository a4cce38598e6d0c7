package routes;

import alerts.DeadLetters;
import operations.Outages;
import operations.TraceContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.SqlConstants;
import restock.StoredRequest;

import static org.apache.camel.builder.PredicateBuilder.or;

/**
 * Every restock request ends (docs/design.md, rule 8): two states wait on something outside the app, and
 * each has a deadline. A PUBLISHED request waits for a factory consumer to take its message; one
 * nobody took by RESTOCK_PUBLISH_DEADLINE_S lost it (the broker restarted empty, the queue was
 * purged, the subscription removed, a receive's answer never arrived) or its consumer stopped,
 * and is published again, up to RESTOCK_REPUBLISH_ATTEMPTS times, then dead-lettered. An ORDERED
 * request waits for the factory's delivery callback; past FACTORY_DELIVERY_DEADLINE_S it is
 * dead-lettered, not ordered again, because the legacy factory cannot recognise a repeat.
 * Every instance sweeps; a conditional update on the row decides which one acts.
 */
public class RestockDeadlinesRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("sql:classpath:sql/restock/unclaimed.sql?delay={{restock.publish-check-ms}}&useIterator=false&{{database-polls}}")
                .routeId("publish-deadline")
                .onException(Exception.class).handled(true)
                    .filter(method(Outages.class, "unreachable(${exception})").isEqualTo(false))
                        .log(LoggingLevel.WARN, "Publish-deadline sweep skipped: ${exception.message}")
                    .end()
                .end()
                .setVariable("unclaimed", body())
                // A request nobody took while others still wait on stock-queue is probably among
                // them (a slow factory, a backlog): only an empty queue proves its message lost.
                .to("{{stock-queue-backlog.uri}}").id("stock-queue-backlog")
                .setVariable("backlog", body())
                .split(variable("unclaimed"))
                    .setBody(method(StoredRequest.class, "fromRow"))
                    .setVariable("request", body())
                    .setVariable("requestId", simple("${body.id}"))
                    .process(TraceContext.OF_REQUEST)
                    // A lease that ran out means its consumer stopped: nothing is on its way.
                    .filter(or(simple("${body.leased}"), simple("${variable.backlog} == 0")))
                        .choice()
                            .when(simple("${body.republishes} < {{restock.republish-attempts}}"))
                                .to("sql:classpath:sql/restock/republish.sql")
                                .filter(header(SqlConstants.SQL_UPDATE_COUNT).isEqualTo(1))
                                    .bean("businessMetrics", "republished")
                                    .log(LoggingLevel.WARN, "Restock request ${variable.requestId} was not taken off the stock"
                                            + " queue in time; publishing it again")
                                .endChoice()
                            .otherwise()
                                .to("sql:classpath:sql/restock/lease-unclaimed.sql")
                                .filter(header(SqlConstants.SQL_UPDATE_COUNT).isEqualTo(1))
                                    .setVariable("reason", constant(DeadLetters.NOT_PICKED_UP))
                                    .setVariable("lastError", method("deadLetters", "notPickedUp"))
                                    .setBody(method("restockMessages", "notification(${variable.request})"))
                                    .to("direct:deadLetter");

        from("sql:classpath:sql/restock/overdue.sql?delay={{factory.deadline-check-ms}}&useIterator=true&{{database-polls}}")
                .routeId("delivery-deadline")
                .onException(Exception.class).onWhen(method(Outages.class, "unreachable(${exception})")).handled(true)
                    // An outage's (operations.Outages); the request is overdue still at the next sweep.
                .end()
                .setBody(method(StoredRequest.class, "fromRow"))
                .setVariable("request", body())
                .setVariable("requestId", simple("${body.id}"))
                .process(TraceContext.OF_REQUEST)
                .to("sql:classpath:sql/restock/lease-overdue.sql")
                .filter(header(SqlConstants.SQL_UPDATE_COUNT).isEqualTo(1))
                    .setVariable("reason", constant(DeadLetters.DELIVERY_OVERDUE))
                    .setVariable("lastError", simple("No delivery callback within FACTORY_DELIVERY_DEADLINE_S"
                            + " ({{factory.delivery-deadline-s}} s) of ordering (factory job ${body.factoryJobId})."))
                    .setBody(method("restockMessages", "notification(${variable.request})"))
                    .to("direct:deadLetter");
    }
}
