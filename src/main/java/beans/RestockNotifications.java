package beans;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;

/**
 * Reads the restock request id from a stock-queue message, whether SNS wrapped it in its
 * notification envelope or delivered it raw.
 */
public final class RestockNotifications {

    private final ObjectMapper mapper;

    public RestockNotifications(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String requestId(@Body String body) {
        JsonNode message = parse(body);
        if ("Notification".equals(message.path("Type").asText()) && message.path("Message").isTextual()) {
            message = parse(message.get("Message").asText());
        }
        JsonNode requestId = message.path("requestId");
        if (!requestId.isTextual() || requestId.asText().isBlank()) {
            throw new InvalidRestockMessage("The message names no restock request (no 'requestId')");
        }
        return requestId.asText();
    }

    private JsonNode parse(String json) {
        try {
            JsonNode node = json == null ? null : mapper.readTree(json);
            if (node == null || !node.isObject()) {
                throw new InvalidRestockMessage("The message is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidRestockMessage("The message is not JSON: " + e.getOriginalMessage());
        }
    }
}
