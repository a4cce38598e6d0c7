package routes;

import api.ApiException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * How every HTTP-facing route answers when something goes wrong, in the error shape of docs/design.md.
 * Routes opt in with {@code routeConfigurationId}. Transacted routes use {@link #TRANSACTED}:
 * the same answers, but the transaction is rolled back and the calling route stops there, so a
 * handled failure never commits half a change. The route that sells orders uses {@link #SELLING}:
 * the same answers, and a batch the database chose as a deadlock's victim is sold again first.
 */
public class ApiErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "api-errors";
    public static final String TRANSACTED = "api-errors-transacted";
    public static final String SELLING = "api-errors-selling";

    @Override
    public void configuration() {
        answerFailures(routeConfiguration(ID), false, false);
        answerFailures(routeConfiguration(TRANSACTED), true, false);
        answerFailures(routeConfiguration(SELLING), false, true);
    }

    private static void answerFailures(RouteConfigurationDefinition configuration, boolean rollback, boolean sellAgain) {
        rollbackIf(rollback, configuration
                .onException(ApiException.class)
                    .handled(true)
                    .bean("jsonResponses", "apiError"));
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
                    .bean("jsonResponses", "unavailable")
                    .end();
        }
        rollbackIf(rollback, configuration
                .onException(DataAccessResourceFailureException.class, TransientDataAccessException.class,
                        CannotCreateTransactionException.class)
                    .handled(true)
                    .log(LoggingLevel.WARN, "routes.api", "Database unavailable: ${exception.message}")
                    .bean("jsonResponses", "unavailable"));
        rollbackIf(rollback, configuration
                .onException(Exception.class)
                    .handled(true)
                    .log(LoggingLevel.ERROR, "routes.api", "Unexpected failure in ${routeId}: ${exception.stacktrace}")
                    .bean("jsonResponses", "internalError"));
    }

    private static void rollbackIf(boolean rollback, OnExceptionDefinition handler) {
        if (rollback) {
            handler.markRollbackOnly();
        }
        handler.end();
    }
}
