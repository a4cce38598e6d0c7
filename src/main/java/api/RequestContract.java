package api;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Body;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
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
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.spi.RestClientRequestValidator;
import org.apache.camel.support.MessageHelper;

/**
 * Holds every request to its operation in the OpenAPI document before the route runs: Camel's REST
 * binding asks it (camel.rest.client-request-validation), the swagger-request-validator that
 * camel-openapi-validator wraps checks parameters and bodies against the document's schemas, and a
 * refusal answers in the error shape, in our words (docs/design.md, Errors). Camel's own validator
 * builds the validator again for every request and answers in the library's words; this builds it
 * once and reads the request as the client sent it (its own headers and query string), not the
 * Camel headers, where platform-http also puts query parameters and form fields.
 *
 * <p>Checked in the order a client would fix them: a header or parameter the operation reads sent
 * twice; the admin token where the document asks for it; the body's media type, encoding and size;
 * its JSON; the document's schemas; text a person reads ({@code x-visible-text}).
 */
public final class RequestContract implements RestClientRequestValidator {

    private static final String VISIBLE_TEXT = "x-visible-text";
    private static final String REFUSAL = "refusal";
    private static final Set<String> METHODS_WITH_A_BODY = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final ObjectMapper answers;
    private final AdminAuthorization admin;
    private final int maxBodyBytes;
    private final Consumer<String> onRefusal;
    // Decimals are read exactly, so that 1e999 is too large and 1e-400 has too many decimals,
    // instead of becoming Infinity or 0.0 on the way through a double.
    private final ObjectMapper strict = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private final StreamReadConstraints limits = strict.getFactory().streamReadConstraints();
    private volatile Validation validation;

    private record Validation(OpenAPI document, OpenApiInteractionValidator validator) {
    }

    /** @param onRefusal told the operationId of every request refused */
    public RequestContract(ObjectMapper answers, AdminAuthorization admin, int maxBodyBytes, Consumer<String> onRefusal) {
        this.answers = answers;
        this.admin = admin;
        this.maxBodyBytes = maxBodyBytes;
        this.onRefusal = onRefusal;
    }

    @Override
    public ValidationError validate(Exchange exchange, ValidationContext context) {
        if (!(exchange.getMessage() instanceof HttpMessage message)) {
            return null;
        }
        HttpServerRequest http = message.getRequest();
        ReadBody body = new ReadBody(METHODS_WITH_A_BODY.contains(http.method().name()) ? bytes(exchange.getMessage()) : null);
        OpenAPI document = exchange.getProperty(Exchange.REST_OPENAPI, OpenAPI.class);
        ApiException refused;
        if (document == null) {
            // A REST service the document does not name (the factory simulator): its JSON bodies, read as strictly.
            refused = body.bytes == null ? null : isJson(http.getHeader("Content-Type")) ? body.failure() : unsupportedMediaType();
        } else {
            SimpleRequest.Builder request = new SimpleRequest.Builder(http.method().name(),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class));
            http.headers().forEach(header -> request.withHeader(header.getKey(), header.getValue()));
            query(http.query()).forEach(request::withQueryParam);
            request.withBody(body);
            refused = refusal(validator(document).validateRequest(request.build()), document);
        }
        if (refused == null) {
            return null;
        }
        if (body.operationId != null) {
            onRefusal.accept(body.operationId);
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
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

    private OpenApiInteractionValidator validator(OpenAPI document) {
        Validation known = validation;
        if (known == null || known.document() != document) {
            OpenApiInteractionValidator validator = OpenApiInteractionValidator.createFor(document)
                    .withLevelResolver(LevelResolver.create()
                            // These are ours (first), in our order: the checks of this class.
                            .withLevel("validation.request.contentType", ValidationReport.Level.IGNORE)
                            .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                            .withLevel("validation.request.body.missing", ValidationReport.Level.IGNORE)
                            .withLevel("validation.request.body.unexpected", ValidationReport.Level.IGNORE)
                            .withLevel("validation.request.accept", ValidationReport.Level.IGNORE)
                            // A header or parameter the operation does not read is ignored (the CallbackUrl's traceparent).
                            .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.IGNORE)
                            .withLevel("validation.schema.invalidJson", ValidationReport.Level.IGNORE)
                            .withLevel("validation.request.body.schema.required", ValidationReport.Level.IGNORE)
                            .build())
                    .withCustomRequestValidation((request, operation) -> checks(request, operation.getOperation(), document))
                    .build();
            validation = known = new Validation(document, validator);
        }
        return known.validator();
    }

    /**
     * What the library is not asked, as refusals among its messages: those before the schemas
     * (first), and the required fields and readable text, considered with the schemas' errors.
     */
    private ValidationReport checks(Request request, Operation operation, OpenAPI document) {
        ((ReadBody) request.getRequestBody().orElseThrow()).operationId = operation.getOperationId();
        ApiException first = firstRefusal(request, operation);
        if (first != null) {
            return ValidationReport.singleton(new Refusal(first, true));
        }
        ReadBody body = (ReadBody) request.getRequestBody().orElseThrow();
        ApiException field = body.node == null || operation.getRequestBody() == null ? null : fieldRefusal(body.node, operation, document);
        return field == null ? ValidationReport.empty() : ValidationReport.singleton(new Refusal(field, false));
    }

    private static ApiException fieldRefusal(JsonNode body, Operation operation, OpenAPI document) {
        Schema<?> schema = resolve(operation.getRequestBody().getContent().get("application/json").getSchema(), document);
        for (String required : Optional.ofNullable(schema.getRequired()).orElse(List.of())) {
            if (body.get(required) == null || body.get(required).isNull()) {
                return ApiException.badRequest("MISSING_FIELD", "'" + required + "' is required.");
            }
        }
        for (Map.Entry<String, Schema> property : Optional.ofNullable(schema.getProperties()).orElse(Map.of()).entrySet()) {
            JsonNode value = body.get(property.getKey());
            Map<String, Object> extensions = property.getValue().getExtensions();
            if (extensions != null && Boolean.TRUE.equals(extensions.get(VISIBLE_TEXT)) && value != null && value.isTextual()
                    && !VisibleText.readable(value.textValue())) {
                return ApiException.badRequest("INVALID_" + upperSnake(property.getKey()),
                        "'" + property.getKey() + "' must be " + rule(property.getValue(), document) + ".");
            }
        }
        return null;
    }

    private ApiException firstRefusal(Request request, Operation operation) {
        for (Parameter parameter : Optional.ofNullable(operation.getParameters()).orElse(List.of())) {
            boolean header = "header".equals(parameter.getIn());
            Iterable<String> values = header ? request.getHeaderValues(parameter.getName())
                    : "query".equals(parameter.getIn()) ? request.getQueryParameterValues(parameter.getName()) : List.of();
            if (values.spliterator().getExactSizeIfKnown() > 1) {
                return header ? duplicate("DUPLICATE_HEADER", "header", parameter.getName())
                        : duplicate("DUPLICATE_PARAMETER", "query parameter", parameter.getName());
            }
        }
        if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
            List<String> authorization = List.copyOf(request.getHeaderValues(AdminAuthorization.HEADER));
            if (authorization.size() > 1) {
                return duplicate("DUPLICATE_HEADER", "header", AdminAuthorization.HEADER);
            }
            try {
                admin.check(authorization.isEmpty() ? null : authorization.get(0));
            } catch (ApiException refused) {
                return refused;
            }
        }
        ReadBody body = (ReadBody) request.getRequestBody().orElseThrow();
        if (operation.getRequestBody() == null || body.bytes == null && !Boolean.TRUE.equals(operation.getRequestBody().getRequired())) {
            return null;
        }
        if (!isJson(request.getContentType().orElse(null))) {
            return unsupportedMediaType();
        }
        List<String> encoding = List.copyOf(request.getHeaderValues("Content-Encoding"));
        if (!encoding.isEmpty() && !(encoding.size() == 1 && encoding.get(0).trim().equalsIgnoreCase("identity"))) {
            return new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body uncompressed: no 'Content-Encoding' is accepted.");
        }
        return body.failure();
    }

    private static ApiException unsupportedMediaType() {
        return new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                "Send the body as JSON with 'Content-Type: application/json' (charset utf-8, or none).");
    }

    private static ApiException duplicate(String code, String kind, String name) {
        return ApiException.badRequest(code, "The " + kind + " '" + name + "' must be sent once.");
    }

    /** The refusal for the report: ours that come first, else the schemas' first error, else ours about fields. */
    private static ApiException refusal(ValidationReport report, OpenAPI document) {
        ValidationReport.Message schemas = null;
        ApiException fields = null;
        for (ValidationReport.Message message : report.getMessages()) {
            if (message instanceof Refusal ours) {
                if (ours.first) {
                    return ours.refusal;
                }
                fields = ours.refusal;
            } else if (message.getLevel() == ValidationReport.Level.ERROR && schemas == null) {
                schemas = message;
            }
        }
        return schemas != null ? refusalFor(schemas, document) : fields;
    }

    private static ApiException refusalFor(ValidationReport.Message message, OpenAPI document) {
        ValidationReport.MessageContext context = message.getContext().orElse(null);
        Parameter parameter = context == null ? null : context.getParameter().orElse(null);
        if (parameter != null) {
            String code = code(parameter.getExtensions(), parameter.getName());
            if (message.getKey().endsWith(".missing") && Boolean.TRUE.equals(parameter.getRequired())) {
                return ApiException.badRequest(code, "The " + parameter.getIn() + " parameter '" + parameter.getName() + "' is required.");
            }
            return ApiException.badRequest(code, "'" + parameter.getName() + "' must be " + rule(parameter.getSchema(), document) + ".");
        }
        String pointer = context == null ? null : context.getPointers().map(ValidationReport.MessageContext.Pointers::getInstance).orElse(null);
        if (message.getKey().startsWith("validation.request.path")) {
            return ApiException.notFound("NOT_FOUND", "There is nothing at this path.");
        }
        if (pointer == null || pointer.isEmpty() || pointer.equals("/")) {
            return ApiException.badRequest("INVALID_JSON", "The request body does not hold what this operation takes.");
        }
        String field = pointer.substring(1).split("/")[0];
        return ApiException.badRequest("INVALID_" + upperSnake(field), "'" + field + "' must be "
                + rule(property(context, field, document), document) + ".");
    }

    private static Schema<?> property(ValidationReport.MessageContext context, String field, OpenAPI document) {
        Schema<?> body = context.getApiRequestBodyDefinition()
                .map(definition -> definition.getContent().get("application/json").getSchema()).orElse(null);
        Schema<?> resolved = resolve(body, document);
        return resolved == null || resolved.getProperties() == null ? null : resolved.getProperties().get(field);
    }

    /** What a value must be, as the document says it: the schema's description, else its bounds or values. */
    private static String rule(Schema<?> schema, OpenAPI document) {
        Schema<?> resolved = resolve(schema, document);
        if (resolved == null) {
            return "valid";
        }
        if (resolved.getEnum() != null) {
            return "one of " + String.join(", ", resolved.getEnum().stream().map(String::valueOf).toList());
        }
        if (resolved.getDescription() != null && !resolved.getDescription().isBlank()) {
            return resolved.getDescription().strip();
        }
        if (resolved.getMinimum() != null && resolved.getMaximum() != null) {
            return "a whole number from " + resolved.getMinimum().toPlainString() + " to " + resolved.getMaximum().toPlainString();
        }
        return "a " + Optional.ofNullable(resolved.getType()).orElse("value");
    }

    private static Schema<?> resolve(Schema<?> schema, OpenAPI document) {
        if (schema != null && schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            return document.getComponents().getSchemas().get(name);
        }
        return schema;
    }

    private static String code(Map<String, Object> extensions, String name) {
        Object code = extensions == null ? null : extensions.get("x-error-code");
        return code != null ? code.toString() : "INVALID_" + upperSnake(name);
    }

    private static String upperSnake(String name) {
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** Exactly application/json; the only parameter it may carry is charset=utf-8. */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json") || parts.length > 2) {
            return false;
        }
        if (parts.length == 1) {
            return true;
        }
        String[] parameter = parts[1].split("=", 2);
        String charset = parameter.length == 2 ? parameter[1].trim().replaceAll("^\"(.*)\"$", "$1") : "";
        return parameter[0].trim().equalsIgnoreCase("charset") && charset.equalsIgnoreCase("utf-8");
    }

    private static Map<String, List<String>> query(String query) {
        Map<String, List<String>> parameters = new java.util.LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                String[] nameAndValue = pair.split("=", 2);
                parameters.computeIfAbsent(decode(nameAndValue[0]), name -> new java.util.ArrayList<>())
                        .add(nameAndValue.length == 2 ? decode(nameAndValue[1]) : "");
            }
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }

    /** A refusal of ours among the library's messages. */
    private static final class Refusal implements ValidationReport.Message {
        private final ValidationReport.Message message;
        private final ApiException refusal;
        private final boolean first;

        Refusal(ApiException refusal, boolean first) {
            this(ValidationReport.Message.create(REFUSAL, refusal.getMessage()).build(), refusal, first);
        }

        private Refusal(ValidationReport.Message message, ApiException refusal, boolean first) {
            this.message = message;
            this.refusal = refusal;
            this.first = first;
        }

        @Override
        public String getKey() {
            return message.getKey();
        }

        @Override
        public String getMessage() {
            return message.getMessage();
        }

        @Override
        public ValidationReport.Level getLevel() {
            return ValidationReport.Level.ERROR;
        }

        @Override
        public List<String> getAdditionalInfo() {
            return message.getAdditionalInfo();
        }

        @Override
        public Optional<ValidationReport.MessageContext> getContext() {
            return message.getContext();
        }

        @Override
        public ValidationReport.Message withLevel(ValidationReport.Level level) {
            return this;
        }

        @Override
        public ValidationReport.Message withAdditionalInfo(String info) {
            return this;
        }

        @Override
        public ValidationReport.Message withAdditionalContext(ValidationReport.MessageContext context) {
            return new Refusal(message.withAdditionalContext(context), refusal, first);
        }
    }

    /** The body as the client sent it, read strictly once: its JSON, or why it is not JSON. */
    private final class ReadBody implements Body {
        private final byte[] bytes;
        private JsonNode node;
        private ApiException failure;
        /** The operation of the document the request was matched to. */
        private String operationId;

        ReadBody(byte[] sent) {
            this.bytes = sent == null || sent.length == 0 ? null : sent;
            if (bytes != null && bytes.length > maxBodyBytes) {
                failure = new ApiException(413, "BODY_TOO_LARGE", "The request body is larger than " + maxBodyBytes + " bytes.");
            } else if (bytes != null) {
                try {
                    node = parse(utf8(bytes));
                } catch (ApiException refused) {
                    failure = refused;
                }
            } else if (bytes == null) {
                failure = ApiException.badRequest("INVALID_JSON", "The request body is empty; a JSON object is expected.");
            }
        }

        ApiException failure() {
            return failure;
        }

        @Override
        public boolean hasBody() {
            return node != null;
        }

        @Override
        public JsonNode toJsonNode() throws IOException {
            if (node == null) {
                throw new IOException("No JSON body");
            }
            return node;
        }

        @Override
        public String toString(Charset charset) {
            return node == null ? "" : node.toString();
        }
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
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
            throw ApiException.badRequest("INVALID_JSON", "The request body nests JSON deeper than "
                    + limits.getMaxNestingDepth() + " levels or holds a number longer than " + limits.getMaxNumberLength()
                    + " characters.");
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
