package restock;

import java.util.LinkedHashMap;
import java.util.Map;
import operations.TraceContext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;

/** The legacy Factory API's request and answer, exactly as docs/design.md gives them. */
public final class FactoryOrders {

    static final String MESSAGE_GROUP_ID = "stock-arrival-group";

    private final ObjectMapper mapper;
    private final CallbackSigner signer;
    private final String requester;

    public FactoryOrders(ObjectMapper mapper, CallbackSigner signer, String requester) {
        this.mapper = mapper;
        this.signer = signer;
        this.requester = requester;
    }

    public String payload(@Variable("request") StoredRequest request, @Header(TraceContext.TRACEPARENT) String traceparent)
            throws JsonProcessingException {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("MessageGroupId", MESSAGE_GROUP_ID);
        order.put("MessageAttributeProductId", request.sku());
        // The legacy API takes the count as a string.
        order.put("MessageAttributeProductCnt", String.valueOf(request.quantity()));
        order.put("MessageAttributeFactoryId", request.factoryId());
        order.put("MessageAttributeRequester", requester);
        order.put("CallbackUrl", signer.callbackUrl(request.id(), TraceContext.valid(traceparent)));
        return mapper.writeValueAsString(order);
    }

    /**
     * The factory's job id from its 201 answer ({@code data.id}). An answer we cannot read still
     * means the order was taken, so it is recorded without an id rather than ordered again.
     */
    public String jobId(@Body String answer) {
        try {
            JsonNode id = answer == null ? null : mapper.readTree(answer).path("data").path("id");
            return id != null && (id.isTextual() || id.isNumber()) ? id.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
