package restock;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import api.ApiException;
import api.Rows;
import org.apache.camel.Header;

/** A restock request as the admin view (GET /api/restock-requests) shows it. */
public record RestockRequest(String id, String sku, long quantity, String status, long attempts, String lastError,
                             String factoryJobId, String createdAt, String updatedAt) {

    /** REQUESTED → PUBLISHED → ORDERED → FULFILLED, or → FAILED (docs/design.md, rule 3). */
    public static final Set<String> STATUSES = Set.of("REQUESTED", "PUBLISHED", "ORDERED", "FULFILLED", "FAILED");

    /** The {@code ?status=} filter in upper case, or null for every request; the document asks no case of it. */
    public static String statusFilter(@Header("status") String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        String normalised = status.toUpperCase(Locale.ROOT);
        if (!STATUSES.contains(normalised)) {
            throw ApiException.badRequest("INVALID_STATUS",
                    "'status' must be one of " + String.join(", ", STATUSES.stream().sorted().toList()) + ".");
        }
        return normalised;
    }

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
