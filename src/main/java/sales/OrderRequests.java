package sales;

import api.ApiException;
import api.JsonRequests;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.TypeConverter;

/** Reads {@code POST /api/orders} (and the checkout button) into an {@link Order} with a fresh id. */
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

    public Order parse(@Body Object body, TypeConverter converter, @Header("Content-Type") String contentType,
                                     @Header("Content-Encoding") String contentEncoding,
                                     @Header("Idempotency-Key") String idempotencyKey) {
        JsonNode node = json.object(body, converter, contentType, contentEncoding);
        String sku = JsonRequests.requiredIdentifier(node, "sku");
        int quantity = JsonRequests.requiredInt(node, "quantity", 1, maxQuantity);
        return order(sku, quantity, idempotencyKey);
    }

    /** {@code POST /checkout}: one of the default product. */
    public Order checkout(@Header("Idempotency-Key") String idempotencyKey) {
        return order(defaultSku, 1, idempotencyKey);
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

    private static Order order(String sku, int quantity, String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.badRequest("INVALID_IDEMPOTENCY_KEY",
                    "'Idempotency-Key' must be 1-128 visible ASCII characters.");
        }
        return new Order(UUID.randomUUID().toString(), sku, quantity, idempotencyKey);
    }
}
