package api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import operations.TraceContext;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The first step of every HTTP route: it keeps only what the route reads, each from where it
 * belongs (request headers from the HTTP headers, query parameters from the query string, path
 * parameters from the path), and drops every other header. Platform-http puts query parameters
 * and form fields among the headers too, so without this a client could set a route's internal
 * headers ({@code ?previousOrder=1}), or send the admin token in a URL or a form
 * ({@code ?Authorization=Bearer …}), where access logs, proxies and Referer headers keep it.
 * Camel's own headers (Camel…) stay: the platform's header filter already refuses them from clients.
 * So does {@code traceparent}, the W3C trace context: the tracer's when tracing is on, else the
 * caller's, which operations.TraceContext reads and checks in the route's next step.
 */
public final class HttpRequestAllowlist implements Processor {

    public static final String AUTHORIZATION = "Authorization";
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String CONTENT_ENCODING = "Content-Encoding";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final List<String> headers;
    private final List<String> query;
    private final List<String> path;

    private HttpRequestAllowlist(List<String> headers, List<String> query, List<String> path) {
        this.headers = headers;
        this.query = query;
        this.path = path;
    }

    /** Keeps nothing but the body; add what the route reads with the methods below. */
    public static HttpRequestAllowlist none() {
        return new HttpRequestAllowlist(List.of(), List.of(), List.of());
    }

    public HttpRequestAllowlist headers(String... names) {
        return new HttpRequestAllowlist(concat(headers, names), query, path);
    }

    public HttpRequestAllowlist query(String... names) {
        return new HttpRequestAllowlist(headers, concat(query, names), path);
    }

    public HttpRequestAllowlist path(String... names) {
        return new HttpRequestAllowlist(headers, query, concat(path, names));
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<String, Object> kept = new HashMap<>();
        if (message instanceof HttpMessage http) {
            HttpServerRequest request = http.getRequest();
            for (String name : headers) {
                keepOnce(name, request.headers().getAll(name), "header", kept);
            }
            // Not request.params(): the body handler merges form fields into those.
            Map<String, List<String>> parameters = new QueryStringDecoder(request.uri()).parameters();
            for (String name : query) {
                keepOnce(name, parameters.getOrDefault(name, List.of()), "query parameter", kept);
            }
        }
        for (String name : path) {
            Object value = message.getHeader(name);
            // Platform-http adds the path's value after a header or query parameter of the same name.
            kept.put(name, value instanceof List<?> values && !values.isEmpty() ? values.get(values.size() - 1) : value);
        }
        // Not removeHeaders("*", "Camel*", …): its exclude patterns compile a regular expression for
        // every header that does not match them, on every request.
        message.getHeaders().keySet().removeIf(name -> !isKeptAlways(name));
        kept.forEach((name, value) -> {
            if (value != null) {
                message.setHeader(name, value);
            }
        });
    }

    private static boolean isKeptAlways(String name) {
        return name.regionMatches(true, 0, "Camel", 0, 5) || name.equalsIgnoreCase(TraceContext.TRACEPARENT);
    }

    /** A value the route reads must come once: two Authorization headers, or two statuses, are not guessed between. */
    private static void keepOnce(String name, List<String> values, String kind, Map<String, Object> kept) {
        if (values.size() > 1) {
            throw ApiException.badRequest(kind.equals("header") ? "DUPLICATE_HEADER" : "DUPLICATE_PARAMETER",
                    "The " + kind + " '" + name + "' must be sent once.");
        }
        if (values.size() == 1) {
            kept.put(name, values.get(0));
        }
    }

    private static List<String> concat(List<String> list, String... more) {
        List<String> all = new ArrayList<>(list);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }
}
