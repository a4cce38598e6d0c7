package catalogue;

import java.math.BigDecimal;

/** A product as an admin creates or changes it with PUT /api/products/{sku}. */
public record ProductInput(String sku, String name, BigDecimal price, int stock, String factoryId, int restockQuantity,
                           int reorderPoint) {
}
