package restock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;

/**
 * Reads a restock message as it arrives on stock-queue (or, moved there, on stock-dlq), whether
 * SNS wrapped it in its notification envelope or delivered it raw: which request it names, and
 * in which round of that request (retries) it was published.
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
