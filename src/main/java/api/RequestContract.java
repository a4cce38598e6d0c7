package api;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.spi.RestClientRequestValidator;
import org.apache.camel.support.MessageHelper;
import org.apache.camel.support.RestConsumerContextPathMatcher;
import org.apache.camel.support.RestConsumerContextPathMatcher.ConsumerPath;

/**
 * Holds every request to its operation in the OpenAPI document before the route runs: Camel's REST
 * binding asks it (camel.rest.client-request-validation), each parameter and body is validated
 * against the document's own schemas (networknt json-schema-validator, OpenAPI 3.0 dialect, the
 * schemas compiled once), and a refusal answers in the error shape, in the document's words
 * (docs/design.md, Errors). It reads the request as the client sent it (its own headers and query),
 * not the Camel headers, where platform-http also puts query parameters and form fields.
 *
 * <p>In the order a client would fix them: a header or parameter the operation reads sent twice;
 * the admin token where the document asks for it; the body's media type, encoding, size and JSON;
 * then the document's schemas for parameters and body, the required fields and text a person
 * reads ({@code x-visible-text}).
 */
public final class RequestContract implements RestClientRequestValidator {

    private static final Set<String> METHODS_WITH_A_BODY = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String JSON = "application/json";
    private static final String DOCUMENT = "https://donut-states.example/openapi.json";
    private static final List<String> PARAMETER_ORDER = List.of("path", "query", "header");

    private final ObjectMapper answers;
    private final AdminAuthorization admin;
    private final int maxBodyBytes;
    private final Consumer<String> onRefusal;
    private final JsonNode document;
    private final List<ConsumerPath<Served>> operations = new ArrayList<>();
    // Camel's matcher splits every path it compares; a path without a template needs no matcher.
    private final Map<String, Served> untemplated = new HashMap<>();
    // Decimals are read exactly, so that 1e999 is too large and 1e-400 has too many decimals,
    // instead of becoming Infinity or 0.0 on the way through a double.
    private final ObjectMapper strict = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private final StreamReadConstraints limits = strict.getFactory().streamReadConstraints();

    /** One operation of the document, as Camel's REST consumer matches it, with its parameters and body compiled. */
    private record Served(String getRestrictMethod, String getConsumerPath, String operationId, boolean secured,
                          List<Checked> parameters, JsonNode requestBody, Checked body) implements ConsumerPath<Served> {

        @Override
        public Served getConsumer() {
            return this;
        }

        @Override
        public boolean isMatchOnUriPrefix() {
            return false;
        }
    }

    /** A parameter (its definition) or a body (its media type), the document's schema of its value ($ref followed), compiled. */
    private record Checked(JsonNode definition, JsonNode schema, JsonSchema compiled) {

        String name() {
            return definition.path("name").asText();
        }

        String in() {
            return definition.path("in").asText();
        }
    }

    /**
     * @param document  the document as it is served (ApiDocument), whose schemas requests are held to
     * @param onRefusal told the operationId of every request refused
     */
    public RequestContract(ObjectMapper answers, AdminAuthorization admin, int maxBodyBytes, ApiDocument document,
                           Consumer<String> onRefusal) {
        this.answers = answers;
        this.admin = admin;
        this.maxBodyBytes = maxBodyBytes;
        this.onRefusal = onRefusal;
        this.document = document.json();
        // The schemas live in an OpenAPI document: its other keys (paths, x-error-code, ...) are not schema keywords to warn of.
        JsonMetaSchema openApi30 = JsonMetaSchema.builder(OpenApi30.getInstance())
                .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword)).build();
        JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, builder -> builder
                .metaSchema(openApi30)
                .defaultMetaSchemaIri(openApi30.getIri())
                .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT, document.text()))));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        this.document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            if (!method.getValue().has("responses")) {
                return;
            }
            JsonNode operation = method.getValue();
            // The operation's own parameters win over the path's; checked path, then query, then headers (cookies are not read).
            Map<String, JsonNode> parameters = new LinkedHashMap<>();
            for (JsonNode declared : path.getValue().path("parameters")) {
                parameters.put(key(followed(declared)), followed(declared));
            }
            for (JsonNode declared : operation.path("parameters")) {
                parameters.put(key(followed(declared)), followed(declared));
            }
            List<Checked> checked = parameters.values().stream()
                    .filter(definition -> PARAMETER_ORDER.contains(definition.path("in").asText()))
                    .sorted(Comparator.comparingInt(definition -> PARAMETER_ORDER.indexOf(definition.path("in").asText())))
                    .map(definition -> checked(schemas, config, definition, definition.path("schema"))).toList();
            JsonNode requestBody = followed(operation.path("requestBody"));
            JsonNode media = requestBody.path("content").path(JSON);
            Served served = new Served(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), operation.path("operationId").asText(),
                    !operation.path("security").isEmpty(), checked, requestBody.isMissingNode() ? null : requestBody,
                    media.isMissingNode() ? null : checked(schemas, config, media, media.path("schema")));
            operations.add(served);
            if (!path.getKey().contains("{")) {
                untemplated.put(served.getRestrictMethod() + " " + path.getKey(), served);
            }
        }));
    }

    @Override
    public ValidationError validate(Exchange exchange, ValidationContext context) {
        if (!(exchange.getMessage() instanceof HttpMessage message)) {
            return null;
        }
        HttpServerRequest http = message.getRequest();
        Sent sent = new Sent(METHODS_WITH_A_BODY.contains(http.method().name()) ? bytes(message) : null);
        if (sent.bytes == null) {
            // Without a body a Content-Type names nothing; left on the message, Camel's binding takes it for the answer's format.
            message.removeHeader(Exchange.CONTENT_TYPE);
        }
        ApiException refused;
        String operationId = null;
        if (exchange.getProperty(Exchange.REST_OPENAPI) == null) {
            // A REST service the document does not name (the factory simulator): its JSON bodies, read as strictly.
            refused = sent.bytes == null ? null : isJson(http.getHeader("Content-Type")) ? sent.unreadable : unsupportedMediaType();
        } else {
            String path = message.getHeader(Exchange.HTTP_PATH, String.class);
            ConsumerPath<Served> matched = untemplated.get(http.method().name() + " " + path);
            if (matched == null) {
                matched = RestConsumerContextPathMatcher.matchBestPath(http.method().name(), path, operations);
            }
            if (matched == null) {
                refused = ApiException.notFound("NOT_FOUND", "There is nothing at this path.");
            } else {
                Served operation = matched.getConsumer();
                operationId = operation.operationId();
                Map<String, List<String>> query = new QueryStringDecoder(http.uri()).parameters();
                refused = firstRefusal(sent, http, query, operation);
                if (refused == null) {
                    refused = parameterRefusal(http, query, path, operation);
                }
                if (refused == null && operation.body() != null && sent.node != null) {
                    refused = bodyRefusal(sent.node, operation.body());
                }
            }
        }
        if (refused == null) {
            return null;
        }
        if (operationId != null) {
            onRefusal.accept(operationId);
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, JSON);
        try {
            return new ValidationError(refused.status(), answers.writeValueAsString(refused.toError()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The error shape cannot be written", e);
        }
    }

    private static byte[] bytes(Message message) {
        if (message.getBody() == null) {
            return null;
        }
        byte[] bytes = message.getBody(byte[].class);
        // The REST binding reads the body again.
        MessageHelper.resetStreamCache(message);
        return bytes;
    }

    private ApiException firstRefusal(Sent sent, HttpServerRequest http, Map<String, List<String>> query, Served operation) {
        for (Checked parameter : operation.parameters()) {
            String name = parameter.name();
            switch (parameter.in()) {
                case "header" -> {
                    if (http.headers().getAll(name).size() > 1) {
                        return duplicate("DUPLICATE_HEADER", "header", name);
                    }
                }
                case "query" -> {
                    if (query.getOrDefault(name, List.of()).size() > 1) {
                        return duplicate("DUPLICATE_PARAMETER", "query parameter", name);
                    }
                }
                default -> {
                }
            }
        }
        if (operation.secured()) {
            List<String> authorization = http.headers().getAll(AdminAuthorization.HEADER);
            if (authorization.size() > 1) {
                return duplicate("DUPLICATE_HEADER", "header", AdminAuthorization.HEADER);
            }
            try {
                admin.check(authorization.isEmpty() ? null : authorization.get(0));
            } catch (ApiException refused) {
                return refused;
            }
        }
        if (operation.requestBody() == null || sent.bytes == null && !operation.requestBody().path("required").asBoolean(false)) {
            return null;
        }
        if (!isJson(http.getHeader("Content-Type"))) {
            return unsupportedMediaType();
        }
        List<String> encoding = http.headers().getAll("Content-Encoding");
        if (!encoding.isEmpty() && !(encoding.size() == 1 && encoding.get(0).trim().equalsIgnoreCase("identity"))) {
            return new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body uncompressed: no 'Content-Encoding' is accepted.");
        }
        return sent.unreadable;
    }

    /** Each parameter the operation reads, against its schema, in the order of PARAMETER_ORDER. */
    private ApiException parameterRefusal(HttpServerRequest http, Map<String, List<String>> query, String path, Served operation) {
        for (Checked parameter : operation.parameters()) {
            String name = parameter.name();
            String value = switch (parameter.in()) {
                case "path" -> pathValue(operation.getConsumerPath(), path, name);
                case "query" -> query.getOrDefault(name, List.of()).stream().findFirst().orElse(null);
                default -> http.getHeader(name);
            };
            if (value == null) {
                if (parameter.definition().path("required").asBoolean(false)) {
                    return ApiException.badRequest(code(name, parameter.definition()),
                            "The " + parameter.in() + " parameter '" + name + "' is required.");
                }
            } else if (!parameter.compiled().validate(valueOf(value, parameter.schema())).isEmpty()) {
                return invalid(name, parameter.definition(), parameter.schema());
            }
        }
        return null;
    }

    /** The body against the operation's schema; else a required field it lacks, or text no person reads. */
    private ApiException bodyRefusal(JsonNode body, Checked media) {
        JsonNode schema = media.schema();
        for (ValidationMessage error : media.compiled().validate(body)) {
            // A missing field is named as one (below), whatever else the body holds.
            if ("required".equals(error.getType())) {
                continue;
            }
            Object field = error.getInstanceLocation().getNameCount() == 0 ? null : error.getInstanceLocation().getElement(0);
            if (!(field instanceof String name) || !schema.path("properties").has(name)) {
                return ApiException.badRequest("INVALID_JSON", "The request body does not hold what this operation takes.");
            }
            return invalid(name, null, schema.path("properties").path(name));
        }
        for (JsonNode required : schema.path("required")) {
            JsonNode value = body.get(required.asText());
            if (value == null || value.isNull()) {
                return ApiException.badRequest("MISSING_FIELD", "'" + required.asText() + "' is required.");
            }
        }
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            JsonNode value = body.get(property.getKey());
            if (property.getValue().path("x-visible-text").asBoolean(false) && value != null && value.isTextual()
                    && !VisibleText.readable(value.textValue())) {
                return invalid(property.getKey(), null, property.getValue());
            }
        }
        return null;
    }

    /** @param schema followed to where a $ref points (a body's properties are read as written) */
    private ApiException invalid(String field, JsonNode definition, JsonNode schema) {
        return ApiException.badRequest(code(field, definition), "'" + field + "' must be " + rule(followed(schema)) + ".");
    }

    /** What a value must be, as the document says it: its values, its description, else its bounds. */
    private static String rule(JsonNode schema) {
        if (schema.has("enum")) {
            List<String> values = new ArrayList<>();
            schema.path("enum").forEach(value -> values.add(value.asText()));
            return "one of " + String.join(", ", values);
        }
        if (!schema.path("description").asText().isBlank()) {
            return schema.path("description").asText().strip();
        }
        if (schema.has("minimum") && schema.has("maximum")) {
            return "a whole number from " + schema.path("minimum").decimalValue().toPlainString() + " to "
                    + schema.path("maximum").decimalValue().toPlainString();
        }
        return schema.isMissingNode() ? "valid" : "a " + schema.path("type").asText("value");
    }

    /** What a $ref points to in the document, or the node itself. */
    private JsonNode followed(JsonNode node) {
        JsonNode ref = node.path("$ref");
        return ref.isTextual() && ref.asText().startsWith("#") ? followed(document.at(ref.asText().substring(1))) : node;
    }

    private static String key(JsonNode parameter) {
        return parameter.path("in").asText() + ":" + parameter.path("name").asText();
    }

    /** A schema the document names by $ref is compiled from its place, so that its own $refs resolve. */
    private Checked checked(JsonSchemaFactory schemas, SchemaValidatorsConfig config, JsonNode definition, JsonNode schema) {
        JsonSchema compiled = schema.path("$ref").isTextual()
                ? schemas.getSchema(SchemaLocation.of(DOCUMENT + schema.path("$ref").asText()), config)
                : schemas.getSchema(schema, config);
        compiled.initializeValidators();
        return new Checked(definition, followed(schema), compiled);
    }

    /** A parameter's text as the JSON value its schema's type reads it as. */
    private static JsonNode valueOf(String text, JsonNode schema) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (schema.path("type").asText()) {
            case "integer", "number" -> {
                try {
                    return nodes.numberNode(Long.parseLong(text));
                } catch (NumberFormatException notWhole) {
                    try {
                        return nodes.numberNode(new BigDecimal(text));
                    } catch (NumberFormatException notANumber) {
                        return nodes.textNode(text);
                    }
                }
            }
            case "boolean" -> {
                return "true".equals(text) || "false".equals(text) ? nodes.booleanNode(Boolean.parseBoolean(text)) : nodes.textNode(text);
            }
            default -> {
                return nodes.textNode(text);
            }
        }
    }

    /** The request path's segment where the template names the parameter, decoded. */
    private static String pathValue(String template, String path, String name) {
        String[] names = template.split("/");
        String[] values = path.split("/");
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (names[i].equals("{" + name + "}")) {
                return QueryStringDecoder.decodeComponent(values[i]);
            }
        }
        return null;
    }

    /** The parameter's x-error-code, else INVALID_ and its name. */
    private static String code(String name, JsonNode definition) {
        JsonNode code = definition == null ? null : definition.get("x-error-code");
        return code != null ? code.asText()
                : "INVALID_" + name.replaceAll("([a-z])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static ApiException duplicate(String code, String kind, String name) {
        return ApiException.badRequest(code, "The " + kind + " '" + name + "' must be sent once.");
    }

    private static ApiException unsupportedMediaType() {
        return new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                "Send the body as JSON with 'Content-Type: application/json' (charset utf-8, or none).");
    }

    /** Exactly application/json; the only parameter it may carry is charset=utf-8. */
    private static boolean isJson(String contentType) {
        String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase(JSON) || parts.length > 2) {
            return false;
        }
        String[] charset = parts.length == 2 ? parts[1].split("=", 2) : new String[] {"charset", "utf-8"};
        return charset.length == 2 && charset[0].trim().equalsIgnoreCase("charset")
                && charset[1].trim().replaceAll("^\"(.*)\"$", "$1").equalsIgnoreCase("utf-8");
    }

    /** The request's body as the client sent it, read strictly once. */
    private final class Sent {
        private final byte[] bytes;
        private JsonNode node;
        private ApiException unreadable;

        Sent(byte[] sent) {
            bytes = sent == null || sent.length == 0 ? null : sent;
            if (bytes == null) {
                unreadable = ApiException.badRequest("INVALID_JSON", "The request body is empty; a JSON object is expected.");
            } else if (bytes.length > maxBodyBytes) {
                unreadable = new ApiException(413, "BODY_TOO_LARGE", "The request body is larger than " + maxBodyBytes + " bytes.");
            } else {
                try {
                    node = parse(utf8(bytes));
                } catch (ApiException refused) {
                    unreadable = refused;
                }
            }
        }
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("INVALID_JSON", "The request body is not valid UTF-8.");
        }
    }

    private JsonNode parse(String text) {
        if (text.isBlank()) {
            throw ApiException.badRequest("INVALID_JSON", "The request body is empty; a JSON object is expected.");
        }
        JsonNode node;
        try {
            node = strict.readTree(text);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("INVALID_JSON", "The request body nests JSON deeper than " + limits.getMaxNestingDepth()
                    + " levels or holds a number longer than " + limits.getMaxNumberLength() + " characters.");
        } catch (MismatchedInputException e) {
            throw ApiException.badRequest("INVALID_JSON", "The request body must hold one JSON object and nothing after it.");
        } catch (JsonParseException e) {
            if (e.getOriginalMessage().startsWith("Duplicate field") && e.getProcessor() != null) {
                throw ApiException.badRequest("INVALID_JSON",
                        "'" + e.getProcessor().getParsingContext().getCurrentName() + "' appears more than once in the request body.");
            }
            throw ApiException.badRequest("INVALID_JSON", "The request body is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ").");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("INVALID_JSON", "The request body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("INVALID_JSON", "The request body must be a JSON object.");
        }
        return node;
    }
}
