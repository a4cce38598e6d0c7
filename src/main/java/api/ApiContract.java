package api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
    /** Where the REST DSL reads {@link #routingView()}: a bean of the registry (a Camel resource URI; the REST DSL wants a name ending in .json). */
    public static final String ROUTING_VIEW = "ref:apiContractRouting.json";

    private final ObjectMapper mapper;
    private final JsonNode document;
    // Written on the first request for them: they are seldom asked for, and writing YAML is slow.
    private volatile byte[] yaml;
    private volatile byte[] json;

    public ApiContract(ObjectMapper mapper, int maxOrderQuantity) {
        this.mapper = mapper;
        try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            document = new YAMLMapper().readTree(in);
            ObjectNode quantity = (ObjectNode) schema("OrderInput").path("properties").path("quantity");
            quantity.put("maximum", maxOrderQuantity);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /**
     * The document as the contract-first REST DSL reads it to route requests (routes/ApiContractRoute):
     * every path, operation, parameter and response as written, with the components they refer to
     * written out in place, and no schema or example. Camel's parser resolves every reference in
     * the document it is given, and on the whole document that was the longest single step of a
     * start; routing reads no schema (the request readers take theirs from the whole document,
     * {@link #rule}). What is left is the same in OpenAPI 3.0, which the parser reads in a fraction
     * of the time it takes over a 3.1 document, so the view says 3.0. ASCII only: Camel reads the
     * text back with the platform's default charset.
     */
    public String routingView() {
        ObjectNode view = document.deepCopy();
        view.put("openapi", "3.0.3");
        view.putObject("info").put("title", document.at("/info/title").asText()).put("version", document.at("/info/version").asText());
        view.remove("components");
        view.set("paths", routing(document.path("paths")));
        try {
            return mapper.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the routing view of " + RESOURCE, e);
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

    public void yaml(Exchange exchange) throws JsonProcessingException {
        byte[] written = yaml;
        if (written == null) {
            // Served as people write YAML: no document marker, quotes only where a value needs them.
            YAMLMapper writer = YAMLMapper.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build();
            yaml = written = writer.writeValueAsBytes(document);
        }
        answer(exchange, "application/yaml", written);
    }

    /** The default the document gives one of its schemas (a type of value, such as PageLimit). */
    public int defaultOf(String schema) {
        JsonNode value = schema(schema).path("default");
        if (!value.canConvertToExactIntegral()) {
            throw new IllegalStateException(RESOURCE + " gives no whole-number default for '" + schema + "'");
        }
        return value.intValue();
    }

    public void json(Exchange exchange) throws JsonProcessingException {
        byte[] written = json;
        if (written == null) {
            json = written = mapper.writeValueAsBytes(document);
        }
        answer(exchange, "application/json", written);
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

    /** A node under paths with every $ref written out, and schemas and examples left out. */
    private JsonNode routing(JsonNode node) {
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(routing(element)));
            return copy;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.has("$ref")) {
            // Only components other than schemas are referred to outside a schema.
            return routing(document.at(node.get("$ref").asText().substring(1)));
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        node.fields().forEachRemaining(field -> {
            switch (field.getKey()) {
                case "schema" -> copy.putObject("schema");
                case "example", "examples" -> { }
                default -> copy.set(field.getKey(), routing(field.getValue()));
            }
        });
        return copy;
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
