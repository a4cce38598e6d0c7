package operations;

import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import restock.StoredRequest;

/**
 * The W3C trace context one restock carries from the order that ran out of stock to the factory's
 * callback, and the fields that put a log line in its story (docs/operations.md, "Following one restock").
 *
 * <p>One rule holds with tracing on and off: an exchange's {@code traceparent} header is its trace
 * context. With tracing on (OTEL_EXPORTER_OTLP_ENDPOINT), Camel's tracer sets that header to every
 * span it starts and continues the trace an exchange arrives with. With tracing off nothing makes
 * spans, and the app still passes the caller's traceparent on unchanged (or starts one for an
 * order that came without): it is stored with the restock request, published as an SNS message
 * attribute, sent to the factory as a header and in the CallbackUrl, so the log lines of one
 * restock share one trace id either way, the one a tracing backend shows when tracing is on.
 *
 * <p>The exchange properties named here are what camel-mdc copies into the log's MDC with
 * LOG_FORMAT=json (config.LoggingConfiguration); routes set them as soon as they know them.
 */
public final class TraceContext {

    public static final String TRACEPARENT = "traceparent";

    public static final String TRACE_ID = "traceId";
    public static final String REQUEST_ID = "requestId";
    public static final String SKU = "sku";
    public static final String ORDER_ID = "orderId";

    /**
     * An HTTP route's first step after the allowlist: the caller's trace (a traceparent header, or
     * the query parameter the CallbackUrl carries, both of which platform-http puts among the
     * headers), or a new one when it sent none that is valid.
     */
    public static final Processor OF_CALLER = exchange -> {
        String traceparent = valid(exchange.getMessage().getHeader(TRACEPARENT));
        enter(exchange, traceparent != null ? traceparent : newTraceparent());
    };

    /**
     * A step on a stored restock request (the variable {@code request}): its id and SKU for the
     * log, and its trace context unless the exchange already carries one (a message that brought
     * it, or the tracer's span); the outbox and the sweeps, which poll rows, get it only here.
     */
    public static final Processor OF_REQUEST = exchange -> {
        StoredRequest request = exchange.getVariable("request", StoredRequest.class);
        if (request == null) {
            return;
        }
        exchange.setProperty(REQUEST_ID, request.id());
        exchange.setProperty(SKU, request.sku());
        String carried = valid(exchange.getMessage().getHeader(TRACEPARENT));
        enter(exchange, carried != null ? carried : valid(request.traceparent()));
    };

    private TraceContext() {
    }

    /** Makes a {@link #valid} traceparent the exchange's trace context and its trace id the log's; null changes nothing. */
    public static void enter(Exchange exchange, String traceparent) {
        if (traceparent != null) {
            exchange.getMessage().setHeader(TRACEPARENT, traceparent);
            exchange.setProperty(TRACE_ID, traceparent.substring(3, 35));
        }
    }

    /** The trace id of a valid traceparent (32 hex digits), null for none. */
    public static String traceIdOf(String traceparent) {
        return valid(traceparent) == null ? null : traceparent.substring(3, 35);
    }

    /**
     * The value when it is one traceparent of version 00 as W3C Trace Context defines it, with a
     * trace id and a parent id that are not all zeros; null for anything else (a header sent
     * twice arrives as a list), which W3C says to treat as no trace context at all.
     */
    public static String valid(Object value) {
        if (!(value instanceof String traceparent) || traceparent.length() != 55
                || !traceparent.startsWith("00-") || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-') {
            return null;
        }
        boolean traceIdZero = true;
        boolean parentIdZero = true;
        for (int i = 3; i < 55; i++) {
            char c = traceparent.charAt(i);
            if (i == 35 || i == 52) {
                continue;
            }
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
            if (c != '0' && i < 35) {
                traceIdZero = false;
            } else if (c != '0' && i < 52) {
                parentIdZero = false;
            }
        }
        return traceIdZero || parentIdZero ? null : traceparent;
    }

    /** A new trace, not sampled: with tracing off nothing records it, and the flag says so. */
    static String newTraceparent() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong();
        long parent = random.nextLong();
        // All zeros is invalid; one chance in 2^64 each.
        if (high == 0 && low == 0) {
            low = 1;
        }
        if (parent == 0) {
            parent = 1;
        }
        return "00-" + hex(high) + hex(low) + "-" + hex(parent) + "-00";
    }

    private static String hex(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }
}
