package api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.apache.camel.Exchange;

/**
 * The HTTP contract, written once: the OpenAPI document next to the routes. Camel's contract-first
 * REST DSL routes each of its operations to {@code direct:<operationId>} (routes/ApiContractRoute),
 * the request readers take each field's pattern and bounds from it ({@link #rule}), and it is served
 * as YAML and JSON. A limit the configuration sets (MAX_ORDER_QUANTITY) is written into the document
 * as it is read, so what is served is what is checked. It is read once at start: a broken document
 * stops the app instead of failing a request.
 */
public final class ApiContract {

    public static final String RESOURCE = "openapi/donut-states.yaml";

    private final JsonNode document;
    private final byte[] yaml;
    private final byte[] json;

    public ApiContract(ObjectMapper mapper, int maxOrderQuantity) {
        // Served as people write YAML: no document marker, quotes only where a value needs them.
        YAMLMapper yamlMapper = YAMLMapper.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build();
        try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            document = yamlMapper.readTree(in);
            ObjectNode quantity = (ObjectNode) schema("OrderInput").path("properties").path("quantity");
            quantity.put("maximum", maxOrderQuantity);
            yaml = yamlMapper.writeValueAsBytes(document);
            json = mapper.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /** The rule of a property of one of the document's schemas (components/schemas), its $ref followed. */
    public FieldRule rule(String schema, String property) {
        return rule(property, resolve(schema(schema).path("properties").path(property)));
    }

    /** The rule of one of the document's schemas itself (a type of value, such as Identifier), for a field of that name. */
    public FieldRule ruleOf(String schema, String field) {
        return rule(field, schema(schema));
    }

    /** The default the document gives one of its schemas (a type of value, such as PageLimit). */
    public int defaultOf(String schema) {
        JsonNode value = schema(schema).path("default");
        if (!value.canConvertToExactIntegral()) {
            throw new IllegalStateException(RESOURCE + " gives no whole-number default for '" + schema + "'");
        }
        return value.intValue();
    }

    public void yaml(Exchange exchange) {
        answer(exchange, "application/yaml", yaml);
    }

    public void json(Exchange exchange) {
        answer(exchange, "application/json", json);
    }

    private FieldRule rule(String field, JsonNode schema) {
        if (schema.isMissingNode()) {
            throw new IllegalStateException(RESOURCE + " has no schema for '" + field + "'");
        }
        String pattern = schema.path("pattern").asText(null);
        return new FieldRule(field,
                // The document anchors its patterns; a Java matcher matches the whole value anyway.
                pattern == null ? null : Pattern.compile(pattern.replaceAll("^\\^|\\$$", "")),
                schema.path("description").asText(null),
                schema.has("minimum") ? schema.get("minimum").decimalValue() : null,
                schema.has("maximum") ? schema.get("maximum").decimalValue() : null,
                schema.has("maxLength") ? schema.get("maxLength").intValue() : null);
    }

    private JsonNode schema(String name) {
        return document.path("components").path("schemas").path(name);
    }

    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText(null);
        return ref == null ? schema : schema(ref.substring(ref.lastIndexOf('/') + 1));
    }

    // Like JsonResponses: no request header may be echoed back.
    private static void answer(Exchange exchange, String contentType, byte[] document) {
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setBody(document);
    }
}
