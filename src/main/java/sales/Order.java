package sales;

/**
 * A customer's order, as POST /api/orders (or the checkout button) asked for it, with the W3C
 * trace context it came in (operations.TraceContext): a restock request it opens carries that on.
 */
public record Order(String orderId, String sku, int quantity, String idempotencyKey, String traceparent) {
}
