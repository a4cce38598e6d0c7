package sales;

import java.util.Map;

import api.Rows;

/** A product's row once its batch took stock (sql/orders/stock-state.sql): what is left, and its restock state. */
public record StockState(long stock, long reorderPoint, String openRequestId) {

    /** Null for no row: the SKU names no product. */
    public static StockState fromRow(Map<String, Object> row) {
        return row == null ? null
                : new StockState(Rows.longOf(row.get("stock")), Rows.longOf(row.get("reorderPoint")), (String) row.get("openRequestId"));
    }
}
