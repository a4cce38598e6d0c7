package sales;

import api.ApiContract;
import api.ApiException;
import api.FieldRule;
import api.JsonRequests;
import java.util.Map;
import java.util.UUID;
import operations.TraceContext;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.TypeConverter;

/** Reads {@code POST /api/orders} (and the checkout button) into an {@link Order} with a fresh id. */
public final class OrderRequests {

    private final JsonRequests json;
    private final FieldRule sku;
    private final FieldRule quantity;
    private final FieldRule idempotencyKey;
    private final String defaultSku;

    public OrderRequests(JsonRequests json, ApiContract contract, String defaultSku) {
        this.json = json;
        this.sku = contract.rule("OrderInput", "sku");
        this.quantity = contract.rule("OrderInput", "quantity");
        this.idempotencyKey = contract.ruleOf("IdempotencyKey", "Idempotency-Key");
        this.defaultSku = defaultSku;
    }

    public Order parse(@Body Object body, TypeConverter converter, @Header("Content-Type") String contentType,
                                     @Header("Content-Encoding") String contentEncoding,
                                     @Header("Idempotency-Key") String idempotencyKey,
                                     @Header(TraceContext.TRACEPARENT) String traceparent) {
        JsonNode node = json.object(body, converter, contentType, contentEncoding);
        return order(JsonRequests.requiredString(node, sku), JsonRequests.requiredInt(node, quantity), idempotencyKey, traceparent);
    }

    /** {@code POST /checkout}: one of the default product. */
    public Order checkout(@Header("Idempotency-Key") String idempotencyKey, @Header(TraceContext.TRACEPARENT) String traceparent) {
        return order(defaultSku, 1, idempotencyKey, traceparent);
    }

    /**
     * A retried POST with a known Idempotency-Key answers with the order it already made, so the
     * client sees the same orderId; the same key for a different order is refused.
     */
    public SaleOutcome.Sold replay(@Body Order order, @Header("previousOrder") Map<String, Object> previous) {
        boolean sameOrder = order.sku().equals(previous.get("sku"))
                && order.quantity() == ((Number) previous.get("quantity")).intValue();
        if (!sameOrder) {
            throw new ApiException(422, "IDEMPOTENCY_KEY_REUSED",
                    "This Idempotency-Key was already used for a different order.");
        }
        return new SaleOutcome.Sold((String) previous.get("orderId"), order.sku(), order.quantity(),
                ((Number) previous.get("remainingStock")).longValue());
    }

    private Order order(String sku, int quantity, String key, String traceparent) {
        if (key != null) {
            JsonRequests.matching(key, idempotencyKey);
        }
        return new Order(UUID.randomUUID().toString(), sku, quantity, key, traceparent);
    }
}
