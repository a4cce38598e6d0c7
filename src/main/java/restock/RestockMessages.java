package restock;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;

/**
 * The restock request as it travels on SNS and SQS. Its id is the stored request's id on every
 * publish, so a repeated delivery is recognisable downstream; its round (retries) tells a copy
 * from before a retry from one of the current attempt.
 */
public final class RestockMessages {

    private final ObjectMapper mapper;

    public RestockMessages(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String notification(@Body StoredRequest request) throws JsonProcessingException {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("requestId", request.id());
        message.put("sku", request.sku());
        message.put("quantity", request.quantity());
        message.put("factoryId", request.factoryId());
        message.put("retries", request.retries());
        return mapper.writeValueAsString(message);
    }
}
