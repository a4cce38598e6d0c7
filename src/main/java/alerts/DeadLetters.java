package alerts;

import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import restock.InterruptedFactoryOrder;
import restock.InvalidRestockMessage;
import restock.RestockNotifications;
import restock.StoredRequest;

/**
 * A dead letter on stock-dlq, as the alert route reads it. The app's own dead letters say which
 * request failed, why and in which round (SQS message attributes); one that SQS moved there under
 * the queue's redrive policy carries only the original message, which still names the request.
 */
public final class DeadLetters {

    public static final String RETRIES_EXHAUSTED = "retries_exhausted";
    public static final String INVALID_MESSAGE = "invalid_message";
    public static final String DELIVERY_OVERDUE = "delivery_overdue";
    public static final String ORDER_INTERRUPTED = "order_interrupted";
    public static final String NOT_PICKED_UP = "not_picked_up";
    public static final String SQS_REDRIVE = "sqs_redrive";
    public static final List<String> REASONS = List.of(
            RETRIES_EXHAUSTED, INVALID_MESSAGE, DELIVERY_OVERDUE, ORDER_INTERRUPTED, NOT_PICKED_UP, SQS_REDRIVE);

    /** The message attributes of the app's own dead letters. */
    public static final String REQUEST_ID = "RequestId";
    public static final String REASON = "DeadLetterReason";
    public static final String ROUND = "Retries";
    public static final String LAST_ERROR = "LastError";

    private final RestockNotifications notifications;
    private final int publishDeadlineSeconds;

    public DeadLetters(RestockNotifications notifications, int publishDeadlineSeconds) {
        this.notifications = notifications;
        this.publishDeadlineSeconds = publishDeadlineSeconds;
    }

    /** Why a request nobody ever took is dead-lettered (the row of sql/restock/unclaimed.sql). */
    public String notPickedUp(@Body StoredRequest request) {
        int publishes = 1 + request.republishes();
        return "Published " + publishes + " times; no factory consumer took it within RESTOCK_PUBLISH_DEADLINE_S ("
                + publishDeadlineSeconds + " s) of any of them.";
    }

    /** Why the factory route dead-letters a message. */
    public String ofFactoryFailure(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        if (failure instanceof InvalidRestockMessage) {
            return INVALID_MESSAGE;
        }
        return failure instanceof InterruptedFactoryOrder ? ORDER_INTERRUPTED : RETRIES_EXHAUSTED;
    }

    /** Why the request was dead-lettered; a message the app did not send there was moved by SQS. */
    public String reason(@Header(REASON) String reason) {
        return reason != null && REASONS.contains(reason) ? reason : SQS_REDRIVE;
    }

    /** The request the dead letter is about, or null when the message names none. */
    public String requestId(@Header(REQUEST_ID) String requestId, @Body String body) {
        return requestId != null ? requestId : notifications.requestIdOrNull(body);
    }

    /** The round (retries) the request was in when its message was sent; its current one if the message does not say. */
    public int round(@Header(ROUND) String round, @Body String body, @Variable("request") StoredRequest request) {
        if (round != null && round.matches("\\d{1,9}")) {
            return Integer.parseInt(round);
        }
        Integer published = notifications.roundOrNull(body);
        return published != null ? published : request.retries();
    }

    public String lastError(@Header(LAST_ERROR) String lastError, @Variable("reason") String reason,
                            @Header("ApproximateReceiveCount") String receiveCount) {
        if (!SQS_REDRIVE.equals(reason)) {
            return lastError;
        }
        // The receive that found the message on stock-dlq is counted too.
        int receives = receiveCount != null && receiveCount.matches("\\d{1,9}") ? Math.max(1, Integer.parseInt(receiveCount) - 1) : 0;
        return "SQS moved its message to stock-dlq under the queue's redrive policy after "
                + (receives > 0 ? receives + " receives" : "repeated receives") + " without a delete: no factory consumer finished it.";
    }
}
