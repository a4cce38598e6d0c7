package beans;

import java.util.Map;

import org.apache.camel.Header;
import org.apache.camel.Variable;

/** The email ops receive for a dead-lettered restock request: what, how often, why, what next. */
public final class OpsAlerts {

    private final String publicBaseUrl;

    /** @param publicBaseUrl where ops reach the API, without a trailing slash */
    public OpsAlerts(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
    }

    /** What makes two dead letters the same failure: the request and how many factory calls it had. */
    public String failureKey(@Variable("request") Map<String, Object> request, @Header("CamelAwsSqsMessageId") String sqsMessageId) {
        if (request == null) {
            return "message " + sqsMessageId;
        }
        return "request " + request.get("id") + " after " + request.get("attempts") + " attempts";
    }

    public String subject(@Variable("request") Map<String, Object> request) {
        if (request == null) {
            return "[Donut-States] A message on the stock queue could not be processed";
        }
        return "[Donut-States] Restock of " + request.get("sku") + " failed (request " + request.get("id") + ")";
    }

    public String body(@Variable("request") Map<String, Object> request, @Variable("lastError") String lastError,
                       @Variable("deadLetter") String deadLetter) {
        if (request == null) {
            return """
                    A message on the stock queue named no restock request we know, so nothing could be ordered.

                    Last error: %s

                    The message as received:
                    %s
                    """.formatted(lastError, deadLetter);
        }
        return """
                The factory could not be asked to restock a product; the request is now FAILED.

                Product:     %s
                Quantity:    %s
                Factory:     %s
                Request id:  %s
                Attempts:    %s
                Last error:  %s

                Once the cause is fixed, send the request again:

                  curl -X POST '%s/api/restock-requests/%s/retry' -H "Authorization: Bearer $ADMIN_TOKEN"
                """.formatted(request.get("sku"), request.get("quantity"), request.get("factoryId"), request.get("id"),
                request.get("attempts"), lastError, publicBaseUrl, request.get("id"));
    }
}
