package api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/**
 * Turns the message body into the HTTP answer: JSON, a status code, and no other headers.
 * Clearing the headers matters: platform-http would otherwise echo request headers such as
 * Authorization back to the client, and SQL result headers would leak into the response.
 */
public final class JsonResponses {

    private final ObjectMapper mapper;

    public JsonResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void ok(Exchange exchange) throws JsonProcessingException {
        write(exchange, 200, exchange.getMessage().getBody());
    }

    public void created(Exchange exchange) throws JsonProcessingException {
        write(exchange, 201, exchange.getMessage().getBody());
    }

    public void accepted(Exchange exchange) throws JsonProcessingException {
        write(exchange, 202, exchange.getMessage().getBody());
    }

    public void conflict(Exchange exchange) throws JsonProcessingException {
        write(exchange, 409, exchange.getMessage().getBody());
    }

    /** 404 for an order of a product that does not exist: a refusal the sales route answers, not a failure. */
    public void unknownProduct(Exchange exchange) throws JsonProcessingException {
        refusal(exchange, ApiException.unknownSku());
    }

    /** The answer for an {@link ApiException}: its status, code and sentence. */
    public void apiError(Exchange exchange) throws JsonProcessingException {
        ApiException refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ApiException.class);
        refusal(exchange, refused);
        if (refused instanceof MethodNotAllowed wrongMethod) {
            exchange.getMessage().setHeader("Allow", wrongMethod.allowed());
        }
    }

    private void refusal(Exchange exchange, ApiException refused) throws JsonProcessingException {
        error(exchange, refused.status(), refused.code(), refused.getMessage());
    }

    public void unavailable(Exchange exchange) throws JsonProcessingException {
        tryAgainShortly(exchange, "The stock database is not reachable right now; try again shortly.");
    }

    /** The same product was being created by another request at the same moment; the next try updates it. */
    public void changedMeanwhile(Exchange exchange) throws JsonProcessingException {
        tryAgainShortly(exchange, "Another request was creating this product at the same moment; try again shortly.");
    }

    /** Retryable, so with Retry-After (docs/design.md, Errors). */
    private void tryAgainShortly(Exchange exchange, String message) throws JsonProcessingException {
        error(exchange, 503, "SERVICE_UNAVAILABLE", message);
        exchange.getMessage().setHeader("Retry-After", "1");
    }

    public void internalError(Exchange exchange) throws JsonProcessingException {
        error(exchange, 500, "INTERNAL_ERROR", "Something went wrong on our side; it has been logged.");
    }

    public void error(Exchange exchange, int status, String code, String message) throws JsonProcessingException {
        write(exchange, status, errorShape(code, message));
    }

    /** The error shape, for the answers the HTTP server gives before any route runs. */
    public byte[] errorBody(String code, String message) throws JsonProcessingException {
        return mapper.writeValueAsBytes(errorShape(code, message));
    }

    private static Map<String, Object> errorShape(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return body;
    }

    private void write(Exchange exchange, int status, Object body) throws JsonProcessingException {
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(mapper.writeValueAsBytes(body));
    }
}
