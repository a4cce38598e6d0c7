package catalogue;

import api.JsonRequests;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.TypeConverter;

/** Reads {@code PUT /api/products/{sku}} into the map the product SQL binds by name. */
public final class ProductRequests {

    private static final int MAX_STOCK = 1_000_000_000;

    private final JsonRequests json;

    public ProductRequests(JsonRequests json) {
        this.json = json;
    }

    public void checkSku(@Header("sku") String sku) {
        JsonRequests.identifier(sku, "sku");
    }

    public Map<String, Object> parse(@Body Object body, TypeConverter converter, @Header("Content-Type") String contentType,
                                     @Header("Content-Encoding") String contentEncoding, @Header("sku") String sku) {
        JsonRequests.identifier(sku, "sku");
        JsonNode node = json.object(body, converter, contentType, contentEncoding);
        Map<String, Object> product = new HashMap<>();
        product.put("sku", sku);
        product.put("name", JsonRequests.requiredText(node, "name", 200));
        product.put("price", JsonRequests.requiredPrice(node, "price"));
        product.put("stock", JsonRequests.requiredInt(node, "stock", 0, MAX_STOCK));
        product.put("factoryId", JsonRequests.requiredIdentifier(node, "factoryId"));
        product.put("restockQuantity", JsonRequests.requiredInt(node, "restockQuantity", 1, 1_000_000));
        product.put("reorderPoint", JsonRequests.optionalInt(node, "reorderPoint", 0, MAX_STOCK, 0));
        return product;
    }
}
