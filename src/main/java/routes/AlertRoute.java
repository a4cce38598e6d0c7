package routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * One email to ops per dead letter. The request is marked FAILED first; the DLQ message is
 * deleted only after the SMTP server took the mail, so an SMTP outage delays the alert and
 * the message comes back after the queue's visibility timeout.
 */
public class AlertRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("{{stock-dlq-consumer.uri}}").routeId("alert")
                // A crash between the mail and the delete must not mail ops twice for one dead letter.
                .idempotentConsumer(header("CamelAwsSqsMessageId")).idempotentRepository("alertedDeadLetters").eager(false)
                    .setVariable("deadLetter", body())
                    .setVariable("requestId", header("RequestId"))
                    .setVariable("lastError", simple("${header.LastError}"))
                    .to("sql:classpath:sql/restock/mark-failed.sql")
                    .to("sql:classpath:sql/restock/find.sql?outputType=SelectOne&outputHeader=storedRequest")
                    .setVariable("request", header("storedRequest"))
                    .removeHeaders("*", "Camel*")
                    .setHeader("Subject", method("opsAlerts", "subject"))
                    .setBody(method("opsAlerts", "body"))
                    .to("{{ops-mail.uri}}")
                    .bean("businessMetrics", "alertMailed")
                    .log("Ops alerted about restock request ${variable.requestId}");
    }
}
