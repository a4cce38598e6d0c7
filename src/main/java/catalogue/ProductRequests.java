package catalogue;

import api.ApiContract;
import api.FieldRule;
import api.JsonRequests;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.TypeConverter;

/** Reads {@code PUT /api/products/{sku}} into a {@link ProductInput}. */
public final class ProductRequests {

    private final JsonRequests json;
    private final FieldRule sku;
    private final FieldRule name;
    private final FieldRule price;
    private final FieldRule stock;
    private final FieldRule factoryId;
    private final FieldRule restockQuantity;
    private final FieldRule reorderPoint;

    public ProductRequests(JsonRequests json, ApiContract contract) {
        this.json = json;
        this.sku = contract.ruleOf("Identifier", "sku");
        this.name = contract.rule("ProductInput", "name");
        this.price = contract.rule("ProductInput", "price");
        this.stock = contract.rule("ProductInput", "stock");
        this.factoryId = contract.rule("ProductInput", "factoryId");
        this.restockQuantity = contract.rule("ProductInput", "restockQuantity");
        this.reorderPoint = contract.rule("ProductInput", "reorderPoint");
    }

    public void checkSku(@Header("sku") String sku) {
        JsonRequests.matching(sku, this.sku);
    }

    public ProductInput parse(@Body Object body, TypeConverter converter, @Header("Content-Type") String contentType,
                              @Header("Content-Encoding") String contentEncoding, @Header("sku") String sku) {
        checkSku(sku);
        JsonNode node = json.object(body, converter, contentType, contentEncoding);
        return new ProductInput(sku,
                JsonRequests.requiredText(node, name),
                JsonRequests.requiredPrice(node, price),
                JsonRequests.requiredInt(node, stock),
                JsonRequests.requiredString(node, factoryId),
                JsonRequests.requiredInt(node, restockQuantity),
                JsonRequests.optionalInt(node, reorderPoint, 0));
    }
}
