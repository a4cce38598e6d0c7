package alerts;


import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.apache.camel.spi.IdempotentRepository;
import restock.StoredRequest;

/**
 * The email ops receive for a failed restock request: what, how often, why, what to do next.
 * One per failure: the failure is the request in its round, so a dead letter seen again after a
 * crash, or a second dead letter for the same failure, is not mailed twice, while the same request
 * failing again after a retry is.
 */
public final class OpsAlerts {

    private final String publicBaseUrl;
    private final IdempotentRepository alerted;

    /** @param publicBaseUrl where ops reach the API, without a trailing slash */
    public OpsAlerts(String publicBaseUrl, IdempotentRepository alerted) {
        this.publicBaseUrl = publicBaseUrl;
        this.alerted = alerted;
    }

    public String failureKey(@Variable("request") StoredRequest request, @Header("CamelAwsSqsMessageId") String sqsMessageId) {
        if (request == null) {
            return "message " + sqsMessageId;
        }
        return "request " + request.id() + " round " + request.retries();
    }

    /**
     * A message of the current round for a FAILED request whose failure ops were never mailed
     * about is that request's dead letter, moved back to stock-queue before the alert went out
     * (the console's "Start DLQ redrive").
     */
    public boolean movedBack(@Variable("request") StoredRequest request) {
        return !alerted.contains(failureKey(request, null));
    }

    public String subject(@Variable("request") StoredRequest request) {
        if (request == null) {
            return "[Donut-States] A message on the stock queues could not be processed";
        }
        return "[Donut-States] Restock of " + request.sku() + " failed (request " + request.id() + ")";
    }

    public String body(@Variable("request") StoredRequest request, @Variable("reason") String reason,
                       @Variable("lastError") String lastError, @Variable("deadLetter") String deadLetter) {
        if (request == null) {
            return """
                    A message on the stock queues named no restock request we know, so nothing could be ordered.
                    Nothing else is waiting on it; keep it for the record.

                    Last error: %s

                    The message as received:
                    %s
                    """.formatted(lastError == null ? "the message could not be read" : lastError, deadLetter);
        }
        return """
                The factory could not be asked to restock a product; the request is now FAILED, and the product
                keeps its one open restock request until it is sent again.

                Product:     %s
                Quantity:    %s
                Factory:     %s
                Request id:  %s
                Attempts:    %s
                Last error:  %s

                What to do:  %s

                Once the cause is fixed, send the request again:

                  curl -X POST '%s/api/restock-requests/%s/retry' -H "Authorization: Bearer $ADMIN_TOKEN"
                """.formatted(request.sku(), request.quantity(), request.factoryId(), request.id(),
                request.attempts(), lastError, whatToDo(reason, request), publicBaseUrl, request.id());
    }

    private static String whatToDo(String reason, StoredRequest request) {
        return switch (reason) {
            case DeadLetters.ORDER_INTERRUPTED -> "The app stopped while ordering it, so the factory may have taken the order."
                    + " Ask the factory whether it has an order for this product; retry only if it has none.";
            case DeadLetters.DELIVERY_OVERDUE -> "The factory took the order (job " + request.factoryJobId()
                    + ") but never called back. Ask the factory about that job; retry only if it will not deliver.";
            case DeadLetters.NOT_PICKED_UP -> "It was published again and again, but no factory consumer took it. Check that"
                    + " stock-queue is subscribed to the stock topic and that an instance runs the factory route"
                    + " (FACTORY_ROUTE_ENABLED).";
            case DeadLetters.SQS_REDRIVE -> "Search the app's log for the request id: an instance kept taking the message"
                    + " and stopping (or failing) before it finished.";
            default -> "Check that the factory (FACTORY_URL) is up and answers orders.";
        };
    }
}
