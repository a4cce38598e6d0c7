package restock;

import api.ApiContract;
import api.ApiException;
import api.FieldRule;
import api.JsonRequests;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.Header;

/** Reads the admin's questions about restock requests: which request, which status and product to list. */
public final class RestockRequestQueries {

    public static final Set<String> STATUSES = Set.of("REQUESTED", "PUBLISHED", "ORDERED", "FULFILLED", "FAILED");

    private final FieldRule id;
    private final FieldRule sku;

    public RestockRequestQueries(ApiContract contract) {
        this.id = contract.ruleOf("Identifier", "id");
        this.sku = contract.ruleOf("Identifier", "sku");
    }

    public String checkId(@Header("id") String id) {
        return JsonRequests.matching(id, this.id);
    }

    /** The {@code ?sku=} filter, or null for every product's requests. */
    public String skuFilter(@Header("sku") String sku) {
        return sku == null ? null : JsonRequests.matching(sku, this.sku);
    }

    /** The {@code ?status=} filter in upper case, or null for every request. */
    public String statusFilter(@Header("status") String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        String normalised = status.toUpperCase(Locale.ROOT);
        if (!STATUSES.contains(normalised)) {
            throw ApiException.badRequest("INVALID_STATUS", "status must be one of " + String.join(", ", STATUSES.stream().sorted().toList()) + ".");
        }
        return normalised;
    }
}
