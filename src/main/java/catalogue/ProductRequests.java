package catalogue;

import api.JsonRequests;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.TypeConverter;

/** Reads {@code PUT /api/products/{sku}} into a {@link ProductInput}. */
public final class ProductRequests {

    private static final int MAX_STOCK = 1_000_000_000;

    private final JsonRequests json;

    public ProductRequests(JsonRequests json) {
        this.json = json;
    }

    public void checkSku(@Header("sku") String sku) {
        JsonRequests.identifier(sku, "sku");
    }

    public ProductInput parse(@Body Object body, TypeConverter converter, @Header("Content-Type") String contentType,
                              @Header("Content-Encoding") String contentEncoding, @Header("sku") String sku) {
        JsonRequests.identifier(sku, "sku");
        JsonNode node = json.object(body, converter, contentType, contentEncoding);
        return new ProductInput(sku,
                JsonRequests.requiredText(node, "name", 200),
                JsonRequests.requiredPrice(node, "price"),
                JsonRequests.requiredInt(node, "stock", 0, MAX_STOCK),
                JsonRequests.requiredIdentifier(node, "factoryId"),
                JsonRequests.requiredInt(node, "restockQuantity", 1, 1_000_000),
                JsonRequests.optionalInt(node, "reorderPoint", 0, MAX_STOCK, 0));
    }
}
