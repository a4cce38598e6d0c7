package api;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.RestRegistry;

/**
 * Answers requests no API route took: 405 when the path exists with other methods, else 404,
 * so that even these get the API's JSON error shape.
 */
public final class UnmatchedRequests {

    private final CamelContext context;

    public UnmatchedRequests(CamelContext context) {
        this.context = context;
    }

    public void refuse(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        if (uri != null) {
            int query = uri.indexOf('?');
            path = query < 0 ? uri : uri.substring(0, query);
        }
        TreeSet<String> allowed = new TreeSet<>();
        for (RestRegistry.RestService service : services()) {
            if (template(service).matcher(path).matches()) {
                allowed.add(service.getMethod().toUpperCase(Locale.ROOT));
            }
        }
        if (allowed.contains("GET")) {
            // The HTTP server answers HEAD wherever GET is answered (config/HttpEdge).
            allowed.add("HEAD");
        }
        if (!allowed.isEmpty()) {
            throw new MethodNotAllowed(path, allowed);
        }
        throw ApiException.notFound("NOT_FOUND", "There is nothing at this path.");
    }

    private List<RestRegistry.RestService> services() {
        return context.getRestRegistry().listAllRestServices();
    }

    /** "/api/products" + "/{sku}" becomes ^/api/products/[^/]+$ */
    private static Pattern template(RestRegistry.RestService service) {
        String path = (service.getBasePath() == null ? "" : service.getBasePath())
                + (service.getUriTemplate() == null ? "" : service.getUriTemplate());
        StringBuilder regex = new StringBuilder();
        for (String part : path.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
