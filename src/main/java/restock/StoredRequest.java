package restock;

import java.util.Map;

import api.Rows;

/**
 * A restock request as the pipeline reads it from its row, to publish it, order it, dead-letter
 * it or mail ops about it. Every query of the pipeline selects the same columns
 * (sql/restock/find.sql, unpublished.sql, unclaimed.sql, overdue.sql).
 *
 * @param retries how often it was sent again after failing: its round, which keys the one ops email per failure
 * @param republishes how often the publish-deadline sweep published it again in this round
 * @param leased whether a consumer's (or a sweep's) lease is on it, live or run out
 * @param traceparent the W3C trace context of the order that opened it (operations.TraceContext), null for older requests
 */
public record StoredRequest(String id, String sku, String factoryId, int quantity, String status, int attempts, int retries,
                            int republishes, String factoryJobId, String lastError, boolean leased, String traceparent) {

    /** Null for no row, as a SelectOne query answers an unknown id. */
    public static StoredRequest fromRow(Map<String, Object> row) {
        if (row == null) {
            return null;
        }
        return new StoredRequest((String) row.get("id"), (String) row.get("sku"), (String) row.get("factoryId"),
                Rows.intOf(row.get("quantity")), (String) row.get("status"), Rows.intOf(row.get("attempts")),
                Rows.intOf(row.get("retries")), Rows.intOf(row.get("republishes")), (String) row.get("factoryJobId"),
                (String) row.get("lastError"), row.get("leaseUntil") != null, (String) row.get("traceparent"));
    }
}
