package routes;

import beans.InterruptedFactoryOrder;
import beans.InvalidRestockMessage;
import config.Properties;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.SqlConstants;

/**
 * Takes restock requests off stock-queue and orders them from the legacy Factory API. A failing
 * factory is retried with growing pauses behind a circuit breaker; what still fails goes to
 * stock-dlq with its cause. The SQS message is deleted only once the order was taken or the
 * dead letter was sent; until then SQS keeps it (and its redrive policy is the backstop).
 */
public class FactoryRoute extends RouteBuilder {

    @Override
    public void configure() {
        Properties settings = new Properties(getContext());
        errorHandler(deadLetterChannel("direct:factoryDeadLetter")
                // A dead letter that cannot be sent fails the exchange, so SQS keeps the message.
                .deadLetterHandleNewException(false)
                .useOriginalMessage()
                .maximumRedeliveries(settings.getInt("factory.retry-attempts"))
                .redeliveryDelay(settings.getInt("factory.retry-delay-ms"))
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(settings.getInt("factory.max-retry-delay-ms"))
                .asyncDelayedRedelivery()
                .retryAttemptedLogLevel(LoggingLevel.WARN));

        onException(InvalidRestockMessage.class, InterruptedFactoryOrder.class).maximumRedeliveries(0);

        from("{{stock-queue.uri}}").routeId("factory").autoStartup("{{factory.enabled}}")
                .setVariable("requestId", method("restockNotifications", "requestId"))
                .to("sql:classpath:sql/restock/find.sql?outputType=SelectOne&outputHeader=storedRequest")
                .filter(header("storedRequest").isNull())
                    .throwException(new InvalidRestockMessage("No such restock request"))
                .end()
                .setVariable("request", header("storedRequest"))
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

        // Each redelivery re-enters here, so every call to the factory is counted.
        from("direct:orderFromFactory").routeId("order-from-factory")
                .errorHandler(noErrorHandler())
                .to("sql:classpath:sql/restock/count-attempt.sql")
                // Camel's own headers carry the redelivery count; the HTTP component never sends them.
                .removeHeaders("*", "Camel*")
                .setHeader("Content-Type", constant("application/json"))
                .setBody(method("factoryOrders", "payload"))
                .circuitBreaker()
                    .to("direct:callFactory")
                .end();

        // The HTTP call alone, timed as donut_factory_call_seconds: a call the open circuit
        // refused never reached the factory and is not timed.
        from("direct:callFactory").routeId("call-factory").routePolicyRef("factoryCallTimer")
                .errorHandler(noErrorHandler())
                .to("{{factory.uri}}");

        from("direct:factoryDeadLetter").routeId("factory-dead-letter")
                .errorHandler(noErrorHandler())
                .filter(variable("requestId").isNotNull())
                    .setHeader("RequestId", variable("requestId"))
                .end()
                .setHeader("LastError", simple("${exception.message}"))
                .log(LoggingLevel.WARN, "Restock request ${variable.requestId} dead-lettered: ${exception.message}")
                .to("{{stock-dlq.uri}}")
                .bean("businessMetrics", "factoryDeadLettered");
    }
}
