package sales;

/** The body of POST /api/orders, bound by the REST DSL once the OpenAPI document's OrderInput schema has checked it. */
public record OrderInput(String sku, int quantity) {
}
