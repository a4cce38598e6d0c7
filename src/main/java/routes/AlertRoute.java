package routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * One email to ops per failure of a restock request. The request is marked FAILED first; the
 * DLQ message is deleted only after the SMTP server took the mail, so an SMTP outage delays the
 * alert and the message comes back after the queue's visibility timeout.
 */
public class AlertRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("{{stock-dlq-consumer.uri}}").routeId("alert")
                .setVariable("deadLetter", body())
                .setVariable("requestId", header("RequestId"))
                .setVariable("lastError", simple("${header.LastError}"))
                .to("sql:classpath:sql/restock/find.sql?outputType=SelectOne&outputHeader=storedRequest")
                .setVariable("request", header("storedRequest"))
                // Keyed on the failure, not the SQS message: a dead letter delivered again after a crash
                // between the mail and the delete, or a second dead letter for the same failure, is not
                // mailed twice; the same request failing again after a retry (more attempts) is.
                .idempotentConsumer(method("opsAlerts", "failureKey")).idempotentRepository("alertedDeadLetters").eager(false)
                    .to("sql:classpath:sql/restock/mark-failed.sql")
                    .removeHeaders("*", "Camel*")
                    .setHeader("Subject", method("opsAlerts", "subject"))
                    .setBody(method("opsAlerts", "body"))
                    .to("{{ops-mail.uri}}")
                    .bean("businessMetrics", "alertMailed")
                    .log("Ops alerted about restock request ${variable.requestId}");
    }
}
