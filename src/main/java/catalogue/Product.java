package catalogue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import api.Rows;

/** A product as GET /api/products answers it. */
public record Product(String sku, String name, BigDecimal price, long stock, String factoryId, long restockQuantity,
                      long reorderPoint, boolean restockPending) {

    /** A row of sql/products/find.sql or list.sql. */
    public static Product fromRow(Map<String, Object> row) {
        return new Product((String) row.get("sku"), (String) row.get("name"), (BigDecimal) row.get("price"),
                Rows.longOf(row.get("stock")), (String) row.get("factoryId"), Rows.longOf(row.get("restockQuantity")),
                Rows.longOf(row.get("reorderPoint")), Rows.truthOf(row.get("restockPending")));
    }

    public static List<Product> fromRows(List<Map<String, Object>> rows) {
        return rows.stream().map(Product::fromRow).toList();
    }
}
