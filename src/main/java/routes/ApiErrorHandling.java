package routes;

import api.ApiError;
import api.ApiException;
import operations.Outages;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.Predicate;
import org.apache.camel.builder.PredicateBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * How every HTTP route answers when something goes wrong, in the error shape of docs/design.md;
 * the REST binding writes it as JSON. Routes opt in with {@code routeConfigurationId}. Transacted
 * routes use {@link #TRANSACTED}: the same answers, but the transaction is rolled back and the
 * calling route stops there, so a handled failure never commits half a change. Requests the
 * OpenAPI document refuses never get here (api.RequestContract).
 */
public class ApiErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "api-errors";
    public static final String TRANSACTED = "api-errors-transacted";
    public static final String SELLING = "api-errors-selling";

    private static final String DATABASE_UNAVAILABLE = "The stock database is not reachable right now; try again shortly.";
    /** Seconds before a retryable 503 is worth sending again (docs/design.md, Errors). */
    private static final String RETRY_AFTER_S = "1";

    @Override
    public void configuration() {
        answerFailures(routeConfiguration(ID), false);
        answerFailures(routeConfiguration(TRANSACTED), true);
        // A batch of orders the database rolled back whole as a deadlock's victim (sales/OrderBatches
        // throws it to each order's exchange) is sold again, a new batch and transaction, and only
        // then answered 503. A route whose error handler may redeliver copies the exchange before
        // every step, so this is the configuration of the one step that sells (SalesRoute,
        // sell-in-batch); like a transacted route's, its answers stop the calling route.
        RouteConfigurationDefinition selling = routeConfiguration(SELLING);
        selling.onException(PessimisticLockingFailureException.class)
                .maximumRedeliveries("{{db.deadlock-retries}}").redeliveryDelay(10).backOffMultiplier(2).useExponentialBackOff()
                .retryAttemptedLogLevel(LoggingLevel.DEBUG).retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                .logExhaustedMessageHistory(false)
                .handled(true)
                .log(LoggingLevel.WARN, "routes.api", "Database unavailable: still deadlocked after {{db.deadlock-retries}} retries: ${exception.message}")
                .process(tryAgainShortly(DATABASE_UNAVAILABLE))
                .markRollbackOnly()
                .end();
        answerFailures(selling, true);
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

    private static void answerFailures(RouteConfigurationDefinition configuration, boolean rollback) {
        Processor databaseUnavailable = tryAgainShortly(DATABASE_UNAVAILABLE);
        rollbackIf(rollback, configuration
                .onException(ApiException.class)
                    .handled(true)
                    .process(exchange -> {
                        ApiException refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ApiException.class);
                        answer(exchange, refused.status(), refused.toError());
                    }));
        // The database not answering is an outage, logged as one where the call failed (operations.Outages),
        // whatever the exception it reached the route as.
        Predicate outage = exchange -> Outages.unreachable(exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        rollbackIf(rollback, configuration
                .onException(DataAccessResourceFailureException.class, TransientDataAccessException.class,
                        RecoverableDataAccessException.class, CannotCreateTransactionException.class)
                    .handled(true)
                    .filter(PredicateBuilder.not(outage))
                        .log(LoggingLevel.WARN, "routes.api", "Database unavailable: ${exception.message}")
                    .end()
                    .process(databaseUnavailable));
        rollbackIf(rollback, configuration
                .onException(Exception.class).onWhen(outage)
                    .handled(true)
                    .process(databaseUnavailable));
        rollbackIf(rollback, configuration
                .onException(Exception.class)
                    .handled(true)
                    .log(LoggingLevel.ERROR, "routes.api", "Unexpected failure in ${routeId}: ${exception.stacktrace}")
                    .process(exchange -> answer(exchange, 500,
                            new ApiError("INTERNAL_ERROR", "Something went wrong on our side; it has been logged."))));
    }

    private static void rollbackIf(boolean rollback, ProcessorDefinition<?> handler) {
        if (rollback) {
            handler.markRollbackOnly();
        }
        handler.end();
    }
}
