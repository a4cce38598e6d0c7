package e2e;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.sqs.model.Message;

/** A restock notification as it arrives on stock-queue: the SNS envelope around our message. */
record Notification(JsonNode message, Map<String, String> attributes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Notification of(Message sqsMessage) {
        try {
            JsonNode envelope = JSON.readTree(sqsMessage.body());
            Map<String, String> attributes = new HashMap<>();
            envelope.path("MessageAttributes").fields()
                    .forEachRemaining(field -> attributes.put(field.getKey(), field.getValue().path("Value").asText()));
            return new Notification(JSON.readTree(envelope.path("Message").asText()), attributes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Not an SNS notification: " + sqsMessage.body(), e);
        }
    }
}
