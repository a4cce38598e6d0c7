package catalogue;

import java.math.BigDecimal;

/**
 * A product as an admin creates or changes it with PUT /api/products/{sku}: the body, bound by the
 * REST DSL once the OpenAPI document's ProductInput schema has checked it (api.RequestContract).
 * The SKU is the path's.
 */
public record ProductInput(String name, BigDecimal price, int stock, String factoryId, int restockQuantity, Integer reorderPoint) {

    public ProductInput {
        reorderPoint = reorderPoint == null ? 0 : reorderPoint;
    }
}
