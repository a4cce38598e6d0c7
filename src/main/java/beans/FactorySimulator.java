package beans;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
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
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("data", request);
        job.put("id", jobId);
        job.put("reqestor", request.path("MessageAttributeRequester").asText());
        return Map.of("data", job);
    }

    public String callbackUrl(@Body String order) throws JsonProcessingException {
        return mapper.readTree(order).path("CallbackUrl").asText();
    }

    public int deliveries() {
        return random.nextDouble() < duplicateRate ? 2 : 1;
    }
}
