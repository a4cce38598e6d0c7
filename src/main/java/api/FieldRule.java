package api;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * What the API contract says one field (a body property or a parameter) may hold: a pattern
 * (with its description, which the refusal quotes), bounds, a length. Read from the OpenAPI
 * document by {@link ApiContract#rule}; the request readers check against it.
 */
public record FieldRule(String field, Pattern pattern, String patternDescription, BigDecimal minimum, BigDecimal maximum,
                        Integer maxLength) {

    public int minimumInt() {
        return minimum.intValueExact();
    }

    public int maximumInt() {
        return maximum.intValueExact();
    }
}
