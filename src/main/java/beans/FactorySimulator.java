package beans;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Variable;

/**
 * The legacy Factory-States API's behaviour for local runs, demos and tests: it takes an order
 * with 201 and its own answer shape, and later calls the order's CallbackUrl, sometimes twice;
 * it fails at a configurable rate.
 */
public final class FactorySimulator {

    private final ObjectMapper mapper;
    private final double failureRate;
    private final double duplicateRate;
    private final RandomGenerator random = RandomGenerator.getDefault();
    /** Orders taken, by the request id in their CallbackUrl: what a test checks for double orders. */
    private final Map<String, AtomicInteger> ordersTaken = new ConcurrentHashMap<>();

    public FactorySimulator(ObjectMapper mapper, double failureRate, double duplicateRate) {
        this.mapper = mapper;
        this.failureRate = failureRate;
        this.duplicateRate = duplicateRate;
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
        ordersTaken.computeIfAbsent(requestIdOf(request.path("CallbackUrl").asText()), id -> new AtomicInteger()).incrementAndGet();
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
        Map<String, Integer> counts = new LinkedHashMap<>();
        ordersTaken.forEach((requestId, count) -> counts.put(requestId, count.get()));
        return counts;
    }

    private static String requestIdOf(String callbackUrl) {
        try {
            String query = URI.create(callbackUrl).getQuery();
            for (String parameter : query == null ? new String[0] : query.split("&")) {
                if (parameter.startsWith("request=")) {
                    return parameter.substring("request=".length());
                }
            }
        } catch (IllegalArgumentException e) {
            // Not a URL: counted under the raw value below.
        }
        return callbackUrl;
    }

    public int deliveries() {
        return random.nextDouble() < duplicateRate ? 2 : 1;
    }
}
