package restock;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What ops read about a failure, in a restock request's lastError and the alert email: a
 * sentence with the HTTP status where there was one, never a class name or an internal address.
 * The log keeps the whole exception.
 */
public final class Failures {

    private final long factoryTimeoutMs;

    public Failures(long factoryTimeoutMs) {
        this.factoryTimeoutMs = factoryTimeoutMs;
    }

    /**
     * True when the factory cannot have taken the order: it answered with an error status, or it
     * was never reached. A call that timed out or broke off after it was sent may have been taken.
     */
    public boolean factoryDidNotTakeIt(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        return find(failure, HttpOperationFailedException.class) != null || neverReached(failure);
    }

    public String factoryCall(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        HttpOperationFailedException answered = find(failure, HttpOperationFailedException.class);
        if (answered != null) {
            return "The factory answered HTTP " + answered.getStatusCode() + " to the order.";
        }
        if (find(failure, CallNotPermittedException.class) != null) {
            return "The order was not sent: the factory circuit is open after repeated failures.";
        }
        if (find(failure, ConnectTimeoutException.class) != null || find(failure, SocketTimeoutException.class) != null) {
            return "The factory did not answer within FACTORY_TIMEOUT_MS (" + factoryTimeoutMs + " ms).";
        }
        if (neverReached(failure)) {
            return "The factory could not be reached (connection refused or unknown host).";
        }
        if (failure instanceof InvalidRestockMessage || failure instanceof InterruptedFactoryOrder) {
            return failure.getMessage();
        }
        return "The factory call failed unexpectedly; the app's log has the details.";
    }

    public String snsPublish(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        AwsServiceException refused = find(failure, AwsServiceException.class);
        if (refused != null) {
            return "SNS refused the publish: HTTP " + refused.statusCode()
                    + (refused.awsErrorDetails() != null && refused.awsErrorDetails().errorCode() != null
                        ? " " + refused.awsErrorDetails().errorCode() : "") + ".";
        }
        if (find(failure, ApiCallTimeoutException.class) != null || find(failure, ApiCallAttemptTimeoutException.class) != null) {
            return "SNS did not answer within AWS_API_CALL_TIMEOUT_MS.";
        }
        if (find(failure, SdkClientException.class) != null) {
            return "SNS could not be reached.";
        }
        return "Publishing to SNS failed; the app's log has the details.";
    }

    /** Lets a failure that was looked at go on its way, as it was. */
    public void rethrow(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) throws Exception {
        throw failure;
    }

    private static boolean neverReached(Throwable failure) {
        return find(failure, ConnectException.class) != null || find(failure, ConnectTimeoutException.class) != null
                || find(failure, UnknownHostException.class) != null;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
