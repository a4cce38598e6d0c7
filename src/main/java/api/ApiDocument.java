package api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The HTTP contract, written once: src/main/resources/openapi/donut-states.yaml. Camel's
 * contract-first REST DSL routes its operations and RequestContract holds requests to it
 * (routes/ApiContractRoute); it is served as YAML and JSON. The one limit the configuration sets,
 * MAX_ORDER_QUANTITY, is written into the document as it is read, so that what is served is what
 * requests are held to.
 */
public final class ApiDocument {

    private static final String RESOURCE = "openapi/donut-states.yaml";

    private final JsonNode document;
    private final byte[] yaml;
    private final String json;

    public ApiDocument(ObjectMapper mapper, int maxOrderQuantity) {
        try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            document = new YAMLMapper().readTree(in);
            ((ObjectNode) document.at("/components/schemas/OrderInput/properties/quantity")).put("maximum", maxOrderQuantity);
            yaml = YAMLMapper.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build().writeValueAsBytes(document);
            // ASCII: Camel reads the document it routes by (ApiContractRoute) with the platform's charset.
            json = mapper.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(RESOURCE + " is not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    public byte[] yaml() {
        return yaml;
    }

    /** As JSON: the REST binding writes it. */
    public JsonNode json() {
        return document;
    }

    /** The document as the REST DSL reads it, from the registry. */
    public String text() {
        return json;
    }
}
