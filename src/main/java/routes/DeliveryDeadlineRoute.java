package routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * A factory that took an order but never called back: past FACTORY_DELIVERY_DEADLINE_S the
 * request is dead-lettered like any other failure, so ops get the email and can retry it.
 * It is not ordered again on its own, because the legacy factory cannot recognise a repeat.
 */
public class DeliveryDeadlineRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("sql:classpath:sql/restock/overdue.sql?delay={{factory.deadline-check-ms}}&useIterator=true")
                .routeId("delivery-deadline")
                .setVariable("request", body())
                .removeHeaders("*")
                .setHeader("RequestId", simple("${body[id]}"))
                .setHeader("LastError", simple("No delivery callback within {{factory.delivery-deadline-s}} s of ordering"
                        + " (factory job ${body[factoryJobId]})"))
                .setBody(method("restockMessages", "notification"))
                .log(LoggingLevel.WARN, "Restock request ${header.RequestId} is overdue; dead-lettering it")
                .to("{{stock-dlq.uri}}")
                .bean("businessMetrics", "deliveryOverdue")
                .to("sql:classpath:sql/restock/mark-overdue.sql");
    }
}
