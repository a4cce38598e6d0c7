package restock;

import java.util.List;
import java.util.Map;

import api.Rows;

/** A restock request as the admin view (GET /api/restock-requests) shows it. */
public record RestockRequest(String id, String sku, long quantity, String status, long attempts, String lastError,
                             String factoryJobId, String createdAt, String updatedAt) {

    /** A row of sql/restock/list.sql, list-after.sql or find.sql. */
    public static RestockRequest fromRow(Map<String, Object> row) {
        return new RestockRequest((String) row.get("id"), (String) row.get("sku"), Rows.longOf(row.get("quantity")),
                (String) row.get("status"), Rows.longOf(row.get("attempts")), (String) row.get("lastError"),
                (String) row.get("factoryJobId"), Rows.instantOf(row.get("createdAt")), Rows.instantOf(row.get("updatedAt")));
    }

    public static List<RestockRequest> fromRows(List<Map<String, Object>> rows) {
        return rows.stream().map(RestockRequest::fromRow).toList();
    }
}
