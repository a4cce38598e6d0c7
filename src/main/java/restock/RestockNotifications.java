package restock;

import operations.TraceContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Exchange;

/**
 * Reads a restock message as it arrives on stock-queue (or, moved there, on stock-dlq), whether
 * SNS wrapped it in its notification envelope or delivered it raw: which request it names, and
 * in which round of that request (retries) it was published, and the trace context it carries.
 */
public final class RestockNotifications {

    private final ObjectMapper mapper;

    public RestockNotifications(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String requestId(@Body String body) {
        JsonNode requestId = message(body).path("requestId");
        if (!requestId.isTextual() || requestId.asText().isBlank()) {
            throw new InvalidRestockMessage("The message names no restock request (no 'requestId').");
        }
        return requestId.asText();
    }

    /** The round the message was published in, or null when it does not say (an older message). */
    public Integer round(@Body String body) {
        JsonNode retries = message(body).path("retries");
        return retries.canConvertToInt() ? retries.intValue() : null;
    }

    /**
     * The message's trace context (operations.TraceContext): its traceparent attribute, which SQS
     * hands over as a header (a raw delivery, or a dead letter the app sent), or SNS keeps in its
     * envelope; or the span's, when tracing is on and already continued that trace.
     */
    public void traceContext(Exchange exchange) {
        String traceparent = TraceContext.valid(exchange.getMessage().getHeader(TraceContext.TRACEPARENT));
        TraceContext.enter(exchange, traceparent != null ? traceparent
                : TraceContext.valid(envelopeAttribute(mapper, exchange.getMessage().getBody(String.class), TraceContext.TRACEPARENT)));
    }

    /**
     * A message attribute SNS put in its notification envelope, or null (a raw message, none of
     * that name, not JSON): what a traced consumer reads before the route has parsed anything.
     */
    public static String envelopeAttribute(ObjectMapper mapper, String body, String name) {
        if (body == null || !body.startsWith("{")) {
            return null;
        }
        try {
            JsonNode message = mapper.readTree(body);
            JsonNode value = message.path("MessageAttributes").path(name).path("Value");
            return "Notification".equals(message.path("Type").asText()) && value.isTextual() ? value.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    public String requestIdOrNull(String body) {
        try {
            return requestId(body);
        } catch (InvalidRestockMessage unreadable) {
            return null;
        }
    }

    public Integer roundOrNull(String body) {
        try {
            return round(body);
        } catch (InvalidRestockMessage unreadable) {
            return null;
        }
    }

    private JsonNode message(String body) {
        JsonNode message = parse(body);
        if ("Notification".equals(message.path("Type").asText()) && message.path("Message").isTextual()) {
            message = parse(message.get("Message").asText());
        }
        return message;
    }

    private JsonNode parse(String json) {
        try {
            JsonNode node = json == null ? null : mapper.readTree(json);
            if (node == null || !node.isObject()) {
                throw new InvalidRestockMessage("The message is not a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidRestockMessage("The message is not JSON.");
        }
    }
}
