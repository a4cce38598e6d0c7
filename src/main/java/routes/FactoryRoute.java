package routes;

import alerts.DeadLetters;
import operations.TraceContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.SqlConstants;
import restock.InterruptedFactoryOrder;
import restock.InvalidRestockMessage;
import restock.StoredRequest;

/**
 * Takes restock requests off stock-queue and orders them from the legacy Factory API. A failing
 * factory is retried with growing pauses behind a circuit breaker; what still fails goes to
 * stock-dlq with its cause. The SQS message is deleted only once the order was taken or the
 * dead letter was sent; until then SQS keeps it (and its redrive policy is the backstop).
 */
public class FactoryRoute extends RouteBuilder {

    @PropertyInject("factory.retry-attempts")
    private int retryAttempts;
    @PropertyInject("factory.retry-delay-ms")
    private long retryDelayMs;
    @PropertyInject("factory.max-retry-delay-ms")
    private long maxRetryDelayMs;

    @Override
    public void configure() {
        errorHandler(deadLetterChannel("direct:factoryDeadLetter")
                // A dead letter that cannot be sent fails the exchange, so SQS keeps the message.
                .deadLetterHandleNewException(false)
                .maximumRedeliveries(retryAttempts)
                .redeliveryDelay(retryDelayMs)
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(maxRetryDelayMs)
                .asyncDelayedRedelivery()
                .retryAttemptedLogLevel(LoggingLevel.WARN));

        onException(InvalidRestockMessage.class, InterruptedFactoryOrder.class).maximumRedeliveries(0);

        from("{{stock-queue.uri}}").routeId("factory").autoStartup("{{factory.enabled}}")
                // The dead letter carries the message as it came. Kept here rather than by the error
                // handler's useOriginalMessage, which would make Camel copy every message of every route.
                .setVariable("restockMessage", body())
                .bean("restockNotifications", "traceContext")
                .setVariable("requestId", method("restockNotifications", "requestId"))
                .setProperty(TraceContext.REQUEST_ID, variable("requestId"))
                .setVariable("round", method("restockNotifications", "round"))
                .to("sql:classpath:sql/restock/find.sql?outputType=SelectOne&outputHeader=storedRequest")
                .filter(header("storedRequest").isNull())
                    .throwException(new InvalidRestockMessage("The message names a restock request that does not exist."))
                .end()
                .setVariable("request", method(StoredRequest.class, "fromRow(${header.storedRequest})"))
                .process(TraceContext.OF_REQUEST)
                .filter(simple("${variable.round} != null && ${variable.round} < ${variable.request.retries}"))
                    .log("Restock request ${variable.requestId} was sent again after this copy of its message was published;"
                            + " the copy is dropped")
                    .stop()
                .end()
                .filter(simple("${variable.request.status} == 'FAILED'"))
                    .to("direct:failedRequestMessage")
                    .stop()
                .end()
                .to("sql:classpath:sql/restock/claim.sql")
                .filter(header(SqlConstants.SQL_UPDATE_COUNT).isEqualTo(0))
                    .to("sql:classpath:sql/restock/claim-interrupted.sql")
                    .filter(header(SqlConstants.SQL_UPDATE_COUNT).isEqualTo(1))
                        .throwException(new InterruptedFactoryOrder("An earlier attempt to order this request called the factory"
                                + " but its answer was never recorded (the app stopped); the factory may have taken the order,"
                                + " so it is not ordered again. Retry it if no delivery arrives."))
                    .end()
                    .log("Restock request ${variable.requestId} is already ordered or being ordered; duplicate delivery dropped")
                    .stop()
                .end()
                .to("direct:orderFromFactory")
                .setVariable("factoryJobId", method("factoryOrders", "jobId"))
                .to("sql:classpath:sql/restock/mark-ordered.sql")
                .log("Restock request ${variable.requestId} ordered from the factory as job ${variable.factoryJobId}");

        // If ops were never mailed about this failure, the message is its dead letter moved back
        // from stock-dlq before the alert went out (the console's "Start DLQ redrive"): the
        // request is sent again, once, as the retry endpoint does. Otherwise ops have the failure
        // in hand (docs/operations.md) and this is a late copy.
        from("direct:failedRequestMessage").routeId("failed-request-message")
                .choice()
                    .when(method("opsAlerts", "movedBack"))
                        .setVariable("round", simple("${variable.request.retries}"))
                        .to("sql:classpath:sql/restock/retry.sql")
                        .choice()
                            .when(header(SqlConstants.SQL_UPDATE_COUNT).isEqualTo(1))
                                .log(LoggingLevel.WARN, "Restock request ${variable.requestId} was FAILED and its dead letter came"
                                        + " back to the stock queue: sent again, as a retry")
                            .otherwise()
                                .log("Restock request ${variable.requestId} was already sent again by another copy of its"
                                        + " dead letter; this one is dropped")
                        .end()
                    .endChoice()
                    .otherwise()
                        .log("Restock request ${variable.requestId} is FAILED and ops have been told; a late copy of its"
                                + " message is dropped");

        from("direct:orderFromFactory").routeId("order-from-factory")
                .errorHandler(noErrorHandler())
                // Camel's own headers carry the redelivery count; the HTTP component never sends them.
                // The trace context goes to the factory as its traceparent header.
                .removeHeaders("*", "Camel*", TraceContext.TRACEPARENT)
                .setHeader("Content-Type", constant("application/json"))
                .setBody(method("factoryOrders", "payload"))
                .circuitBreaker()
                    .to("direct:callFactory")
                .end();

        // The HTTP call alone, timed as donut_factory_call_seconds. A call the open circuit refused
        // never gets here: it is neither timed nor counted. Each call is counted before it goes out,
        // so that a crash mid-call is known; one the factory answered with an error, or that never
        // reached it, is taken back, since the factory cannot have taken that order.
        from("direct:callFactory").routeId("call-factory").routePolicyRef("factoryCallTimer")
                .errorHandler(noErrorHandler())
                .to("sql:classpath:sql/restock/count-call.sql")
                .doTry()
                    .to("{{factory.uri}}")
                .doCatch(Exception.class)
                    .filter(method("failures", "factoryDidNotTakeIt"))
                        .to("sql:classpath:sql/restock/uncount-call.sql")
                    .end()
                    .bean("failures", "rethrow")
                .end();

        from("direct:factoryDeadLetter").routeId("factory-dead-letter")
                .errorHandler(noErrorHandler())
                .setBody(variable("restockMessage"))
                .setVariable("reason", method("deadLetters", "ofFactoryFailure"))
                .setVariable("lastError", method("failures", "factoryCall"))
                .to("direct:deadLetter");

        // Every dead letter the app sends: the message, and as attributes which request failed,
        // why and in which round, for the alert route (and ops reading stock-dlq).
        from("direct:deadLetter").routeId("dead-letter")
                .errorHandler(noErrorHandler())
                .removeHeaders("*", "Camel*", TraceContext.TRACEPARENT)
                .process(TraceContext.OF_REQUEST)
                .setHeader(DeadLetters.REASON, variable("reason"))
                .setHeader(DeadLetters.LAST_ERROR, variable("lastError"))
                // An unreadable message names no request.
                .filter(variable("request").isNotNull())
                    .setHeader(DeadLetters.REQUEST_ID, variable("requestId"))
                    .setHeader(DeadLetters.ROUND, simple("${variable.request.retries}", String.class))
                .end()
                .log(LoggingLevel.WARN, "Restock request ${variable.requestId} dead-lettered (${variable.reason}): ${variable.lastError}")
                .to("{{stock-dlq.uri}}")
                .bean("businessMetrics", "deadLettered(${variable.reason})");
    }
}
