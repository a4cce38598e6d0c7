package api;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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
import org.apache.camel.TypeConverter;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * Strict reading of request bodies: exactly {@code application/json} in UTF-8, uncompressed,
 * one JSON object and nothing after it, no duplicate keys, fields of the right type and range.
 * Everything it rejects becomes a 4xx whose sentence names the field and the rule, never the
 * parser's own wording.
 */
public final class JsonRequests {


    // Decimals are read exactly, so that 1e999 is too large and 1e-400 has too many decimals,
    // instead of becoming Infinity or 0.0 on the way through a double.
    private final ObjectMapper strictMapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private final StreamReadConstraints limits = strictMapper.getFactory().streamReadConstraints();
    private final int maxBodyBytes;

    public JsonRequests(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * The body as a JSON object, checked in the order a client would fix it: the media type, the
     * size, the JSON. The body is read as bytes only once it is known to be JSON (platform-http
     * makes a form body a map), and never through the charset a client names.
     */
    public JsonNode object(Object rawBody, TypeConverter converter, String contentType, String contentEncoding) {
        if (!isJson(contentType)) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                    "Send the body as JSON with 'Content-Type: application/json' (charset utf-8, or none).");
        }
        if (contentEncoding != null && !contentEncoding.isBlank() && !contentEncoding.trim().equalsIgnoreCase("identity")) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                    "Send the body uncompressed: no 'Content-Encoding' is accepted.");
        }
        byte[] body = rawBody == null ? null : converter.convertTo(byte[].class, rawBody);
        if (body != null && body.length > maxBodyBytes) {
            throw new ApiException(413, "BODY_TOO_LARGE", "The request body is larger than " + maxBodyBytes + " bytes.");
        }
        String text = utf8(body);
        if (text.isBlank()) {
            throw ApiException.badRequest("INVALID_JSON", "The request body is empty; a JSON object is expected.");
        }
        JsonNode node = parse(text);
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("INVALID_JSON", "The request body must be a JSON object.");
        }
        return node;
    }

    /** Exactly application/json; the only parameter it may carry is charset=utf-8. */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        MimeType type;
        try {
            type = MimeTypeUtils.parseMimeType(contentType);
        } catch (InvalidMimeTypeException e) {
            return false;
        }
        String charset = type.getParameter("charset");
        int others = type.getParameters().size() - (charset == null ? 0 : 1);
        return type.getType().equals("application") && type.getSubtype().equals("json") && others == 0
                && (charset == null || unquoted(charset).equalsIgnoreCase("utf-8"));
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static String utf8(byte[] body) {
        if (body == null) {
            return "";
        }
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
        try {
            return strictMapper.readTree(text);
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
    }

    /** A value (a path or query parameter, a header) that must match its rule's pattern. */
    public static String matching(String value, FieldRule rule) {
        if (value == null || !rule.pattern().matcher(value).matches()) {
            throw ApiException.badRequest("INVALID_" + upperSnake(rule.field()),
                    "'" + rule.field() + "' must be " + rule.patternDescription() + ".");
        }
        return value;
    }

    public static String requiredString(JsonNode node, FieldRule rule) {
        JsonNode value = required(node, rule);
        if (!value.isTextual()) {
            throw ApiException.badRequest("INVALID_" + upperSnake(rule.field()), "'" + rule.field() + "' must be a string.");
        }
        return matching(value.textValue(), rule);
    }

    public static String requiredText(JsonNode node, FieldRule rule) {
        JsonNode value = required(node, rule);
        int maxLength = rule.maxLength();
        if (!value.isTextual() || value.textValue().codePointCount(0, value.textValue().length()) > maxLength
                || !readable(value.textValue())) {
            throw ApiException.badRequest("INVALID_" + upperSnake(rule.field()), "'" + rule.field() + "' must be a string of at most "
                    + maxLength + " characters with at least one visible character, and no control, formatting (such as a"
                    + " bidirectional override), unpaired surrogate or noncharacter code point.");
        }
        return value.textValue();
    }

    /**
     * Text a person reads elsewhere (the catalogue, an ops email): nothing that breaks lines,
     * reorders or hides what is shown (control characters, line separators, formatting characters
     * such as bidirectional overrides and zero-width spaces), nothing that is not a character at
     * all (unpaired surrogates, noncharacters), and at least one character that shows.
     */
    static boolean readable(String text) {
        boolean visible = false;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            int type = Character.getType(codePoint);
            if (type == Character.CONTROL || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || isNoncharacter(codePoint)
                    || (type == Character.FORMAT && !isJoiner(codePoint))) {
                return false;
            }
            visible |= isVisible(codePoint, type);
        }
        return visible;
    }

    /** U+FDD0..U+FDEF and the last two code points of every plane: reserved never to be characters. */
    private static boolean isNoncharacter(int codePoint) {
        return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
    }

    /** Zero-width (non-)joiner: formatting characters that emoji sequences and some scripts need. */
    private static boolean isJoiner(int codePoint) {
        return codePoint == 0x200C || codePoint == 0x200D;
    }

    /** A letter, digit, punctuation mark or symbol, except the fillers that are letters yet show nothing. */
    private static boolean isVisible(int codePoint, int type) {
        boolean shown = switch (type) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER, Character.MODIFIER_LETTER,
                 Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                 Character.OTHER_SYMBOL -> true;
            default -> false;
        };
        // Hangul fillers and the blank Braille pattern.
        return shown && codePoint != 0x115F && codePoint != 0x1160 && codePoint != 0x3164 && codePoint != 0xFFA0
                && codePoint != 0x2800;
    }

    public static int requiredInt(JsonNode node, FieldRule rule) {
        return intIn(required(node, rule), rule);
    }

    public static int optionalInt(JsonNode node, FieldRule rule, int fallback) {
        JsonNode value = node.get(rule.field());
        return value == null || value.isNull() ? fallback : intIn(value, rule);
    }

    public static BigDecimal requiredPrice(JsonNode node, FieldRule rule) {
        JsonNode value = required(node, rule);
        if (!value.isNumber() || value.decimalValue().compareTo(rule.minimum()) < 0 || value.decimalValue().compareTo(rule.maximum()) > 0
                || value.decimalValue().stripTrailingZeros().scale() > 2) {
            throw ApiException.badRequest("INVALID_" + upperSnake(rule.field()), "'" + rule.field() + "' must be a number from "
                    + rule.minimum().toPlainString() + " to " + rule.maximum().toPlainString() + " with at most two decimals.");
        }
        return value.decimalValue();
    }

    private static JsonNode required(JsonNode node, FieldRule rule) {
        JsonNode value = node.get(rule.field());
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("MISSING_FIELD", "'" + rule.field() + "' is required.");
        }
        return value;
    }

    private static int intIn(JsonNode value, FieldRule rule) {
        int min = rule.minimumInt();
        int max = rule.maximumInt();
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw ApiException.badRequest("INVALID_" + upperSnake(rule.field()),
                    "'" + rule.field() + "' must be a whole number from " + min + " to " + max + ".");
        }
        return value.intValue();
    }

    private static String upperSnake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").replace('-', '_').toUpperCase();
    }
}
