package api;

/**
 * What {@code x-visible-text} in the OpenAPI document asks of a string: text a person reads elsewhere (the
 * catalogue, an ops email) holds nothing that breaks lines, reorders or hides what is shown
 * (control characters, line separators, formatting characters such as bidirectional overrides and
 * zero-width spaces), nothing that is not a character at all (unpaired surrogates,
 * noncharacters), and at least one character that shows. A JSON schema pattern cannot say this.
 */
final class VisibleText {

    private VisibleText() {
    }

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
}
