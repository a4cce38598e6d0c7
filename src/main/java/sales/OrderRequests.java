package sales;

import api.ApiException;
import api.JsonRequests;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.TypeConverter;

/**
 * Reads {@code POST /api/orders} into the map the sales route's SQL binds by name:
 * sku, quantity, idempotencyKey, and fresh ids for the order and a possible restock request.
 */
public final class OrderRequests {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");

    private final JsonRequests json;
    private final int maxQuantity;
    private final String defaultSku;

    public OrderRequests(JsonRequests json, int maxQuantity, String defaultSku) {
        this.json = json;
        this.maxQuantity = maxQuantity;
        this.defaultSku = defaultSku;
    }

    public Map<String, Object> parse(@Body Object body, TypeConverter converter, @Header("Content-Type") String contentType,
                                     @Header("Content-Encoding") String contentEncoding,
                                     @Header("Idempotency-Key") String idempotencyKey) {
        JsonNode node = json.object(body, converter, contentType, contentEncoding);
        String sku = JsonRequests.requiredIdentifier(node, "sku");
        int quantity = JsonRequests.requiredInt(node, "quantity", 1, maxQuantity);
        return order(sku, quantity, idempotencyKey);
    }

    /** {@code POST /checkout}: one of the default product. */
    public Map<String, Object> checkout(@Header("Idempotency-Key") String idempotencyKey) {
        return order(defaultSku, 1, idempotencyKey);
    }

    /**
     * A retried POST with a known Idempotency-Key answers with the order it already made, so the
     * client sees the same orderId; the same key for a different order is refused.
     */
    public Map<String, Object> replay(Map<String, Object> order, Map<String, Object> previous) {
        boolean sameOrder = order.get("sku").equals(previous.get("sku"))
                && ((Number) order.get("quantity")).intValue() == ((Number) previous.get("quantity")).intValue();
        if (!sameOrder) {
            throw new ApiException(422, "IDEMPOTENCY_KEY_REUSED",
                    "This Idempotency-Key was already used for a different order.");
        }
        return previous;
    }

    public Map<String, Object> order(String sku, int quantity, String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.badRequest("INVALID_IDEMPOTENCY_KEY",
                    "'Idempotency-Key' must be 1-128 visible ASCII characters.");
        }
        Map<String, Object> order = new HashMap<>();
        order.put("sku", sku);
        order.put("quantity", quantity);
        order.put("idempotencyKey", idempotencyKey);
        order.put("orderId", UUID.randomUUID().toString());
        order.put("requestId", UUID.randomUUID().toString());
        return order;
    }
}
