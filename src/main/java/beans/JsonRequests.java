package beans;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Strict reading of request bodies: a JSON object, no duplicate keys, fields of the right
 * type and range. Everything it rejects becomes a 400 that names the field.
 */
public final class JsonRequests {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}]+");

    private final ObjectMapper strictMapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final int maxBodyBytes;

    public JsonRequests(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public JsonNode object(String body, String contentType) {
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with 'Content-Type: application/json'.");
        }
        if (body != null && body.getBytes(StandardCharsets.UTF_8).length > maxBodyBytes) {
            throw new ApiException(413, "BODY_TOO_LARGE", "The request body is larger than " + maxBodyBytes + " bytes.");
        }
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("INVALID_JSON", "The request body is empty; a JSON object is expected.");
        }
        JsonNode node;
        try {
            node = strictMapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("INVALID_JSON", "The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("INVALID_JSON", "The request body must be a JSON object.");
        }
        return node;
    }

    public static String identifier(String value, String field) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw ApiException.badRequest("INVALID_" + upperSnake(field),
                    "'" + field + "' must be 1-64 letters, digits, '-' or '_', starting with a letter or digit.");
        }
        return value;
    }

    public static String requiredIdentifier(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("MISSING_FIELD", "'" + field + "' is required.");
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("INVALID_" + upperSnake(field), "'" + field + "' must be a string.");
        }
        return identifier(value.textValue(), field);
    }

    public static String requiredText(JsonNode node, String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("MISSING_FIELD", "'" + field + "' is required.");
        }
        if (!value.isTextual() || value.textValue().isBlank() || value.textValue().length() > maxLength
                || !PRINTABLE.matcher(value.textValue()).matches()) {
            throw ApiException.badRequest("INVALID_" + upperSnake(field),
                    "'" + field + "' must be a non-blank string of at most " + maxLength + " printable characters.");
        }
        return value.textValue();
    }

    public static int requiredInt(JsonNode node, String field, int min, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("MISSING_FIELD", "'" + field + "' is required.");
        }
        return intIn(value, field, min, max);
    }

    public static int optionalInt(JsonNode node, String field, int min, int max, int fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : intIn(value, field, min, max);
    }

    public static BigDecimal requiredPrice(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("MISSING_FIELD", "'" + field + "' is required.");
        }
        if (!value.isNumber() || value.decimalValue().signum() < 0
                || value.decimalValue().compareTo(new BigDecimal("9999999999.99")) > 0
                || value.decimalValue().stripTrailingZeros().scale() > 2) {
            throw ApiException.badRequest("INVALID_" + upperSnake(field),
                    "'" + field + "' must be a number from 0 to 9999999999.99 with at most two decimals.");
        }
        return value.decimalValue();
    }

    private static int intIn(JsonNode value, String field, int min, int max) {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw ApiException.badRequest("INVALID_" + upperSnake(field),
                    "'" + field + "' must be a whole number from " + min + " to " + max + ".");
        }
        return value.intValue();
    }

    private static String upperSnake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
    }
}
