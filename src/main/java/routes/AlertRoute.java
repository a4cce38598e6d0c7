package routes;

import alerts.DeadLetters;
import operations.TraceContext;
import org.apache.camel.builder.RouteBuilder;
import restock.StoredRequest;

/**
 * One email to ops per failure of a restock request. Whoever put the dead letter on stock-dlq
 * (the app, with the request, reason and round as attributes, or SQS under the queue's redrive
 * policy, with only the original message), the request is marked FAILED if it still stands where
 * the dead letter says it stopped; ops are mailed once it is FAILED. The DLQ message is deleted
 * only after the SMTP server took the mail, so an SMTP outage delays the alert and the message
 * comes back after ALERT_RETRY_S.
 */
public class AlertRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("{{stock-dlq-consumer.uri}}").routeId("alert")
                .bean("restockNotifications", "traceContext")
                .setVariable("deadLetter", body())
                .setVariable("reason", method("deadLetters", "reason"))
                .setVariable("requestId", method("deadLetters", "requestId"))
                .setProperty(TraceContext.REQUEST_ID, variable("requestId"))
                .to("sql:classpath:sql/restock/find.sql?outputType=SelectOne&outputHeader=storedRequest")
                .setVariable("request", method(StoredRequest.class, "fromRow(${header.storedRequest})"))
                .process(TraceContext.OF_REQUEST)
                .choice()
                    .when(variable("request").isNull())
                        .setVariable("lastError", header(DeadLetters.LAST_ERROR))
                        .to("direct:mailOps")
                    .otherwise()
                        .setVariable("round", method("deadLetters", "round"))
                        .setVariable("lastError", method("deadLetters", "lastError"))
                        .to("sql:classpath:sql/restock/mark-failed.sql")
                        .to("sql:classpath:sql/restock/find.sql?outputType=SelectOne&outputHeader=storedRequest")
                        .setVariable("request", method(StoredRequest.class, "fromRow(${header.storedRequest})"))
                        .choice()
                            .when(simple("${variable.request.status} == 'FAILED' && ${variable.request.retries} == ${variable.round}"))
                                .to("direct:mailOps")
                            .otherwise()
                                .log("Dead letter (${variable.reason}) for restock request ${variable.requestId} needs nothing:"
                                        + " the request is ${variable.request.status}");

        // Keyed on the failure, not the SQS message: a dead letter delivered again after a crash
        // between the mail and the delete, or a second dead letter for the same failure, is not
        // mailed twice; the same request failing again after a retry (a new round) is.
        from("direct:mailOps").routeId("mail-ops")
                .idempotentConsumer(method("opsAlerts", "failureKey")).idempotentRepository("alertedDeadLetters").eager(false)
                    .removeHeaders("*", "Camel*")
                    .setHeader("Subject", method("opsAlerts", "subject"))
                    .setBody(method("opsAlerts", "body"))
                    .to("{{ops-mail.uri}}")
                    .bean("businessMetrics", "alertMailed")
                    // The app never sent these, so they are counted once found (and mailed).
                    .filter(variable("reason").isEqualTo(DeadLetters.SQS_REDRIVE))
                        .bean("businessMetrics", "deadLettered(${variable.reason})")
                    .end()
                    .log("Ops alerted about restock request ${variable.requestId} (${variable.reason})");
    }
}
