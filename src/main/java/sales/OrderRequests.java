package sales;

import java.util.Map;
import java.util.UUID;

import api.ApiException;
import operations.TraceContext;
import org.apache.camel.Body;
import org.apache.camel.Header;

/** Makes an {@link Order} with a fresh id of {@code POST /api/orders} (and of the checkout button). */
public final class OrderRequests {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final String defaultSku;

    public OrderRequests(String defaultSku) {
        this.defaultSku = defaultSku;
    }

    public Order order(@Body OrderInput input, @Header(IDEMPOTENCY_KEY) String idempotencyKey,
                       @Header(TraceContext.TRACEPARENT) String traceparent) {
        return new Order(UUID.randomUUID().toString(), input.sku(), input.quantity(), idempotencyKey, traceparent);
    }

    /** {@code POST /checkout}: one of the default product. */
    public Order checkout(@Header(IDEMPOTENCY_KEY) String idempotencyKey, @Header(TraceContext.TRACEPARENT) String traceparent) {
        return new Order(UUID.randomUUID().toString(), defaultSku, 1, idempotencyKey, traceparent);
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
}
