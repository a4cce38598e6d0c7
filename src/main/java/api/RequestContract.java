package api;

import java.io.IOException;
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
import io.netty.handler.codec.http.QueryStringDecoder;
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
 * refusal answers in the error shape, in the document's words (docs/design.md, Errors). Camel's own
 * validator builds the validator again for every request and answers in the library's words; this
 * one builds it once, and reads the request as the client sent it (its own headers and query),
 * not the Camel headers, where platform-http also puts query parameters and form fields.
 *
 * <p>In the order a client would fix them: a header or parameter the operation reads sent twice;
 * the admin token where the document asks for it; the body's media type, encoding, size and JSON;
 * then the document's schemas, the required fields and text a person reads ({@code x-visible-text}).
 */
public final class RequestContract implements RestClientRequestValidator {

    private static final Set<String> METHODS_WITH_A_BODY = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String JSON = "application/json";

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
        Sent sent = new Sent(METHODS_WITH_A_BODY.contains(http.method().name()) ? bytes(message) : null);
        if (sent.bytes == null) {
            // Without a body a Content-Type names nothing; left on the message, Camel's binding takes it for the answer's format.
            message.removeHeader(Exchange.CONTENT_TYPE);
        }
        OpenAPI document = exchange.getProperty(Exchange.REST_OPENAPI, OpenAPI.class);
        ApiException refused;
        if (document == null) {
            // A REST service the document does not name (the factory simulator): its JSON bodies, read as strictly.
            refused = sent.bytes == null ? null : isJson(http.getHeader("Content-Type")) ? sent.unreadable : unsupportedMediaType();
        } else {
            SimpleRequest.Builder request = new SimpleRequest.Builder(http.method().name(), message.getHeader(Exchange.HTTP_PATH, String.class));
            http.headers().forEach(header -> request.withHeader(header.getKey(), header.getValue()));
            new QueryStringDecoder(http.uri()).parameters().forEach(request::withQueryParam);
            ValidationReport report = validator(document).validateRequest(request.withBody(sent).build());
            ValidationReport.Message schemas = report.getMessages().stream()
                    .filter(found -> found.getLevel() == ValidationReport.Level.ERROR).findFirst().orElse(null);
            refused = sent.first != null ? sent.first : schemas != null ? refusalFor(schemas, document) : sent.field;
        }
        if (refused == null) {
            return null;
        }
        if (sent.operationId != null) {
            onRefusal.accept(sent.operationId);
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

    private OpenApiInteractionValidator validator(OpenAPI document) {
        Validation known = validation;
        if (known == null || known.document() != document) {
            LevelResolver.Builder levels = LevelResolver.create();
            // Checked here, first and in our order (firstRefusal), or read as the document says (fieldRefusal); a
            // header or query parameter the operation does not read (the CallbackUrl's traceparent) is ignored.
            for (String ours : List.of("validation.request.contentType", "validation.request.security", "validation.request.body.missing",
                    "validation.request.body.unexpected", "validation.request.accept", "validation.schema.invalidJson",
                    "validation.request.body.schema.required", "validation.request.parameter.query.unexpected")) {
                levels.withLevel(ours, ValidationReport.Level.IGNORE);
            }
            known = new Validation(document, OpenApiInteractionValidator.createFor(document).withLevelResolver(levels.build())
                    .withCustomRequestValidation((request, operation) -> check((Sent) request.getRequestBody().orElseThrow(), request,
                            operation.getOperation(), document))
                    .build());
            validation = known;
        }
        return known.validator();
    }

    /** What the library is not asked, for the operation it matched the request to; noted on what was sent. */
    private ValidationReport check(Sent sent, Request request, Operation operation, OpenAPI document) {
        sent.operationId = operation.getOperationId();
        sent.first = firstRefusal(sent, request, operation);
        if (sent.first == null && sent.node != null && operation.getRequestBody() != null) {
            sent.field = fieldRefusal(sent.node, operation, document);
        }
        return ValidationReport.empty();
    }

    private ApiException firstRefusal(Sent sent, Request request, Operation operation) {
        for (Parameter parameter : Optional.ofNullable(operation.getParameters()).orElse(List.of())) {
            boolean header = "header".equals(parameter.getIn());
            if ((header ? request.getHeaderValues(parameter.getName()) : request.getQueryParameterValues(parameter.getName())).size() > 1) {
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
        if (operation.getRequestBody() == null || sent.bytes == null && !Boolean.TRUE.equals(operation.getRequestBody().getRequired())) {
            return null;
        }
        if (!isJson(request.getContentType().orElse(null))) {
            return unsupportedMediaType();
        }
        List<String> encoding = List.copyOf(request.getHeaderValues("Content-Encoding"));
        if (!encoding.isEmpty() && !(encoding.size() == 1 && encoding.get(0).trim().equalsIgnoreCase("identity"))) {
            return new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body uncompressed: no 'Content-Encoding' is accepted.");
        }
        return sent.unreadable;
    }

    private static ApiException fieldRefusal(JsonNode body, Operation operation, OpenAPI document) {
        Schema<?> schema = resolve(operation.getRequestBody().getContent().get(JSON).getSchema(), document);
        for (String required : Optional.ofNullable(schema.getRequired()).orElse(List.of())) {
            if (body.get(required) == null || body.get(required).isNull()) {
                return ApiException.badRequest("MISSING_FIELD", "'" + required + "' is required.");
            }
        }
        for (Map.Entry<String, Schema> property : Optional.ofNullable(schema.getProperties()).orElse(Map.of()).entrySet()) {
            JsonNode value = body.get(property.getKey());
            Map<String, Object> extensions = property.getValue().getExtensions();
            if (extensions != null && Boolean.TRUE.equals(extensions.get("x-visible-text")) && value != null && value.isTextual()
                    && !VisibleText.readable(value.textValue())) {
                return invalid(property.getKey(), null, property.getValue(), document);
            }
        }
        return null;
    }

    /** The library's error, in the document's words: the parameter or body field it is about, and what it must be. */
    private static ApiException refusalFor(ValidationReport.Message message, OpenAPI document) {
        ValidationReport.MessageContext context = message.getContext().orElse(null);
        Parameter parameter = context == null ? null : context.getParameter().orElse(null);
        if (parameter != null) {
            if (message.getKey().endsWith(".missing") && Boolean.TRUE.equals(parameter.getRequired())) {
                return ApiException.badRequest(code(parameter.getName(), parameter.getExtensions()),
                        "The " + parameter.getIn() + " parameter '" + parameter.getName() + "' is required.");
            }
            return invalid(parameter.getName(), parameter.getExtensions(), parameter.getSchema(), document);
        }
        if (message.getKey().startsWith("validation.request.path")) {
            return ApiException.notFound("NOT_FOUND", "There is nothing at this path.");
        }
        String pointer = context == null ? null : context.getPointers().map(ValidationReport.MessageContext.Pointers::getInstance).orElse(null);
        Schema<?> body = context == null ? null
                : resolve(context.getApiRequestBodyDefinition().map(definition -> definition.getContent().get(JSON).getSchema()).orElse(null), document);
        if (pointer == null || pointer.length() < 2 || body == null || body.getProperties() == null) {
            return ApiException.badRequest("INVALID_JSON", "The request body does not hold what this operation takes.");
        }
        String field = pointer.substring(1).split("/")[0];
        return invalid(field, null, body.getProperties().get(field), document);
    }

    private static ApiException invalid(String field, Map<String, Object> extensions, Schema<?> schema, OpenAPI document) {
        return ApiException.badRequest(code(field, extensions), "'" + field + "' must be " + rule(resolve(schema, document)) + ".");
    }

    /** What a value must be, as the document says it: its values, its description, else its bounds. */
    private static String rule(Schema<?> schema) {
        if (schema == null) {
            return "valid";
        }
        if (schema.getEnum() != null) {
            return "one of " + String.join(", ", schema.getEnum().stream().map(String::valueOf).toList());
        }
        if (schema.getDescription() != null && !schema.getDescription().isBlank()) {
            return schema.getDescription().strip();
        }
        if (schema.getMinimum() != null && schema.getMaximum() != null) {
            return "a whole number from " + schema.getMinimum().toPlainString() + " to " + schema.getMaximum().toPlainString();
        }
        return "a " + Optional.ofNullable(schema.getType()).orElse("value");
    }

    private static Schema<?> resolve(Schema<?> schema, OpenAPI document) {
        if (schema != null && schema.get$ref() != null) {
            return document.getComponents().getSchemas().get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
        }
        return schema;
    }

    /** The parameter's x-error-code, else INVALID_ and its name. */
    private static String code(String name, Map<String, Object> extensions) {
        Object code = extensions == null ? null : extensions.get("x-error-code");
        return code != null ? code.toString()
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

    /** The request's body as the client sent it, read strictly once, and what the checks found. */
    private final class Sent implements Body {
        private final byte[] bytes;
        private JsonNode node;
        private ApiException unreadable;
        private String operationId;
        private ApiException first;
        private ApiException field;

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
