package sales;

/** A customer's order, as POST /api/orders (or the checkout button) asked for it. */
public record Order(String orderId, String sku, int quantity, String idempotencyKey) {
}
