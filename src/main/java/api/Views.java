package api;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shapes SQL rows into the JSON the HTTP contract names, field by field, so the answer does not
 * depend on how a database spells column labels or booleans (MySQL answers 1/0, H2 true/false).
 */
public final class Views {

    public List<Map<String, Object>> products(List<Map<String, Object>> rows) {
        return rows.stream().map(this::product).toList();
    }

    public Map<String, Object> product(Map<String, Object> row) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sku", row.get("sku"));
        view.put("name", row.get("name"));
        view.put("price", row.get("price"));
        view.put("stock", number(row.get("stock")));
        view.put("factoryId", row.get("factoryId"));
        view.put("restockQuantity", number(row.get("restockQuantity")));
        view.put("reorderPoint", number(row.get("reorderPoint")));
        view.put("restockPending", truth(row.get("restockPending")));
        return view;
    }

    public Map<String, Object> sold(Map<String, Object> order) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("orderId", order.get("orderId"));
        view.put("sku", order.get("sku"));
        view.put("quantity", number(order.get("quantity")));
        view.put("remainingStock", number(order.get("remainingStock")));
        return view;
    }

    public Map<String, Object> outOfStock(String sku, Object available) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("error", "OUT_OF_STOCK");
        view.put("message", "Not enough stock of " + sku + "; a restock has been requested from the factory.");
        view.put("sku", sku);
        view.put("available", number(available));
        view.put("restockRequested", true);
        return view;
    }

    public List<Map<String, Object>> restockRequests(List<Map<String, Object>> rows) {
        return rows.stream().map(this::restockRequest).toList();
    }

    public Map<String, Object> restockRequest(Map<String, Object> row) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", row.get("id"));
        view.put("sku", row.get("sku"));
        view.put("quantity", number(row.get("quantity")));
        view.put("status", row.get("status"));
        view.put("attempts", number(row.get("attempts")));
        view.put("lastError", row.get("lastError"));
        view.put("factoryJobId", row.get("factoryJobId"));
        view.put("createdAt", instant(row.get("createdAt")));
        view.put("updatedAt", instant(row.get("updatedAt")));
        return view;
    }

    /** The callback's answer: what was added, or that this callback was a repeat. */
    public Map<String, Object> restocked(Map<String, Object> result, Object added) {
        boolean first = added instanceof Number n && n.intValue() == 1;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sku", result.get("sku"));
        view.put("added", first ? number(result.get("quantity")) : Long.valueOf(0));
        view.put("stock", number(result.get("stock")));
        if (!first) {
            view.put("duplicate", true);
        }
        return view;
    }

    private static Object instant(Object value) {
        return value instanceof Timestamp t ? t.toInstant().toString() : value;
    }

    private static Object number(Object value) {
        return value instanceof Number n ? n.longValue() : value;
    }

    private static boolean truth(Object value) {
        return value instanceof Boolean b ? b : value instanceof Number n && n.intValue() != 0;
    }
}
