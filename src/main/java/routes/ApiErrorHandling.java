package routes;

import api.ApiError;
import api.ApiException;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * How every HTTP route answers when something goes wrong, in the error shape of docs/design.md;
 * the REST binding writes it as JSON. Routes opt in with {@code routeConfigurationId}. Transacted
 * routes use {@link #TRANSACTED}: the same answers, but the transaction is rolled back and the
 * calling route stops there, so a handled failure never commits half a change. The route that
 * sells orders uses {@link #SELLING}: the same answers, and a batch the database chose as a
 * deadlock's victim is sold again first. Requests the OpenAPI document refuses never get here
 * (api.RequestContract).
 */
public class ApiErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "api-errors";
    public static final String TRANSACTED = "api-errors-transacted";
    public static final String SELLING = "api-errors-selling";

    /** Seconds before a retryable 503 is worth sending again (docs/design.md, Errors). */
    private static final String RETRY_AFTER_S = "1";

    @Override
    public void configuration() {
        answerFailures(routeConfiguration(ID), false, false);
        answerFailures(routeConfiguration(TRANSACTED), true, false);
        answerFailures(routeConfiguration(SELLING), false, true);
    }

    /** A 503 the client may send again after Retry-After. */
    static Processor tryAgainShortly(String message) {
        return exchange -> answer(exchange, 503, new ApiError("SERVICE_UNAVAILABLE", message))
                .setHeader("Retry-After", RETRY_AFTER_S);
    }

    private static org.apache.camel.Message answer(Exchange exchange, int status, ApiError error) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(error);
        return exchange.getMessage();
    }

    private static void answerFailures(RouteConfigurationDefinition configuration, boolean rollback, boolean sellAgain) {
        Processor databaseUnavailable = tryAgainShortly("The stock database is not reachable right now; try again shortly.");
        rollbackIf(rollback, configuration
                .onException(ApiException.class)
                    .handled(true)
                    .process(exchange -> {
                        ApiException refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ApiException.class);
                        answer(exchange, refused.status(), refused.toError());
                    }));
        if (sellAgain) {
            // A batch of orders the database rolled back whole as a deadlock's victim (sales/OrderBatches
            // throws it to each order's exchange): sold again from the step that failed, a new batch
            // and transaction, and only then answered 503. Only here: a route whose error handler may
            // redeliver copies the exchange before every step, a cost every read would pay. A
            // transacted route's own deadlock is answered 503 at once (below): Camel does not
            // redeliver in the calling route what the called route's error handler gave up on.
            configuration.onException(PessimisticLockingFailureException.class)
                    .maximumRedeliveries("{{db.deadlock-retries}}").redeliveryDelay(10).backOffMultiplier(2).useExponentialBackOff()
                    .retryAttemptedLogLevel(LoggingLevel.DEBUG).retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                    .logExhaustedMessageHistory(false)
                    .handled(true)
                    .log(LoggingLevel.WARN, "routes.api", "Database unavailable: still deadlocked after {{db.deadlock-retries}} retries: ${exception.message}")
                    .process(databaseUnavailable)
                    .end();
        }
        rollbackIf(rollback, configuration
                .onException(DataAccessResourceFailureException.class, TransientDataAccessException.class,
                        CannotCreateTransactionException.class)
                    .handled(true)
                    .log(LoggingLevel.WARN, "routes.api", "Database unavailable: ${exception.message}")
                    .process(databaseUnavailable));
        rollbackIf(rollback, configuration
                .onException(Exception.class)
                    .handled(true)
                    .log(LoggingLevel.ERROR, "routes.api", "Unexpected failure in ${routeId}: ${exception.stacktrace}")
                    .process(exchange -> answer(exchange, 500,
                            new ApiError("INTERNAL_ERROR", "Something went wrong on our side; it has been logged."))));
    }

    private static void rollbackIf(boolean rollback, OnExceptionDefinition handler) {
        if (rollback) {
            handler.markRollbackOnly();
        }
        handler.end();
    }
}
