package simulator;

import api.ApiException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Body;
import org.apache.camel.Variable;

/**
 * The legacy Factory-States API's behaviour for local runs, demos and tests: it takes an order
 * with 201 and its own answer shape, and later calls the order's CallbackUrl, sometimes twice;
 * it fails at a configurable rate. Left running on a developer's machine it must not be a relay
 * for someone else's requests: it calls back only to this app's own callback (PUBLIC_BASE_URL),
 * keeps only the legacy order's fields, and counts a bounded number of orders.
 */
public final class FactorySimulator {

    /** The legacy order's fields (FactoryOrders); anything else in a body is dropped. */
    private static final List<String> ORDER_FIELDS = List.of("MessageGroupId", "MessageAttributeProductId",
            "MessageAttributeProductCnt", "MessageAttributeFactoryId", "MessageAttributeRequester", "CallbackUrl");
    private static final int MAX_FIELD_LENGTH = 512;

    private final ObjectMapper mapper;
    private final String callbackPrefix;
    private final double failureRate;
    private final double duplicateRate;
    private final RandomGenerator random = RandomGenerator.getDefault();
    /** Orders taken, by the request id in their CallbackUrl: what a test checks for double orders. The oldest go first. */
    private final Map<String, Integer> ordersTaken;

    /** @param publicBaseUrl where this app's callback is, without a trailing slash */
    public FactorySimulator(ObjectMapper mapper, String publicBaseUrl, double failureRate, double duplicateRate, int maxOrdersCounted) {
        this.mapper = mapper;
        this.callbackPrefix = publicBaseUrl + "/api/restock?";
        this.failureRate = failureRate;
        this.duplicateRate = duplicateRate;
        this.ordersTaken = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > maxOrdersCounted;
            }
        };
    }

    /**
     * The order in the body cut down to the legacy fields, as JSON text; 400 when its CallbackUrl is
     * not this app's.
     */
    public String order(@Body Map<String, Object> body) {
        JsonNode request = mapper.valueToTree(body);
        ObjectNode order = mapper.createObjectNode();
        for (String field : ORDER_FIELDS) {
            JsonNode value = request.get(field);
            if (value != null && !value.isNull()) {
                if (!value.isValueNode() || value.asText().length() > MAX_FIELD_LENGTH) {
                    throw ApiException.badRequest("INVALID_ORDER",
                            "'" + field + "' must be a string or number of at most " + MAX_FIELD_LENGTH + " characters.");
                }
                order.put(field, value.asText());
            }
        }
        if (!isOurCallback(order.path("CallbackUrl").asText(null))) {
            throw ApiException.badRequest("INVALID_CALLBACK_URL",
                    "'CallbackUrl' must be this app's own callback, " + callbackPrefix + "…; the simulator calls back nowhere else.");
        }
        return order.toString();
    }

    private boolean isOurCallback(String callbackUrl) {
        if (callbackUrl == null || !callbackUrl.startsWith(callbackPrefix)) {
            return false;
        }
        try {
            URI.create(callbackUrl);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean fails() {
        return random.nextDouble() < failureRate;
    }

    public String newJobId() {
        return UUID.randomUUID().toString();
    }

    /** The factory's answer, with its own spelling of "requestor". */
    public Map<String, Object> accepted(@Body String order, @Variable("jobId") String jobId) throws JsonProcessingException {
        JsonNode request = mapper.readTree(order);
        String requestId = requestIdOf(request.path("CallbackUrl").asText());
        synchronized (ordersTaken) {
            ordersTaken.merge(requestId, 1, Integer::sum);
        }
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("data", request);
        job.put("id", jobId);
        job.put("reqestor", request.path("MessageAttributeRequester").asText());
        return Map.of("data", job);
    }

    public String callbackUrl(@Body String order) throws JsonProcessingException {
        return mapper.readTree(order).path("CallbackUrl").asText();
    }

    public Map<String, Integer> ordersTaken() {
        synchronized (ordersTaken) {
            return new LinkedHashMap<>(ordersTaken);
        }
    }

    private static String requestIdOf(String callbackUrl) {
        String query = URI.create(callbackUrl).getQuery();
        for (String parameter : query == null ? new String[0] : query.split("&")) {
            if (parameter.startsWith("request=")) {
                return parameter.substring("request=".length());
            }
        }
        return callbackUrl;
    }

    public int deliveries() {
        return random.nextDouble() < duplicateRate ? 2 : 1;
    }
}
