package api;

import java.sql.Timestamp;

/**
 * Reading a SQL row's values the same way whichever database answered: MySQL answers booleans as
 * 1/0 and H2 as true/false, and numbers come back as Integer, Long or BigInteger.
 */
public final class Rows {

    private Rows() {
    }

    public static long longOf(Object value) {
        return ((Number) value).longValue();
    }

    public static int intOf(Object value) {
        return ((Number) value).intValue();
    }

    public static boolean truthOf(Object value) {
        return value instanceof Boolean b ? b : value instanceof Number n && n.intValue() != 0;
    }

    /** An instant as the contract spells it (ISO-8601, UTC). */
    public static String instantOf(Object value) {
        return value instanceof Timestamp t ? t.toInstant().toString() : value == null ? null : value.toString();
    }
}
