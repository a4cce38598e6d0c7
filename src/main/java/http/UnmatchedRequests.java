package http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

import api.ApiException;
import api.MethodNotAllowed;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.RestRegistry;

/**
 * What the HTTP server serves, as the REST services registered in Camel (the contract's
 * operations, and the simulator's when it is on) say: a request for anything else is answered at
 * the edge (HttpEdge), 405 when the path exists with other methods, else 404, in the API's JSON
 * error shape rather than the server's plain page.
 */
public final class UnmatchedRequests {

    private record Served(Pattern path, String method) {
    }

    private record Snapshot(int count, List<Served> services) {
    }

    private final CamelContext context;
    private volatile Snapshot served;

    public UnmatchedRequests(CamelContext context) {
        this.context = context;
    }

    /** Empty when a route serves the method on the path. */
    public Optional<ApiException> refusal(String method, String path) {
        TreeSet<String> allowed = new TreeSet<>();
        for (Served service : served()) {
            if (service.path().matcher(path).matches()) {
                if (service.method().equals(method)) {
                    return Optional.empty();
                }
                allowed.add(service.method());
            }
        }
        if (allowed.contains("GET")) {
            // The HTTP server answers HEAD wherever GET is answered (HttpEdge).
            allowed.add("HEAD");
        }
        return Optional.of(allowed.isEmpty() ? ApiException.notFound("NOT_FOUND", "There is nothing at this path.")
                : new MethodNotAllowed(path, allowed));
    }

    /**
     * Read again whenever the number of registered services changed: the HTTP server is up before
     * the routes, which register their services as they start, so a list read for a request that
     * came in during the start would otherwise answer 404 for good to paths served a moment later.
     */
    private List<Served> served() {
        RestRegistry registry = context.getRestRegistry();
        int count = registry.size();
        Snapshot known = served;
        if (known == null || known.count() != count) {
            known = new Snapshot(count, registry.listAllRestServices().stream()
                    .map(service -> new Served(template(service), service.getMethod().toUpperCase(Locale.ROOT)))
                    .toList());
            served = known;
        }
        return known.services();
    }

    /**
     * "/api/products" + "/{sku}" becomes ^/api/products/[^/]+$. A service of the contract carries
     * its path in its URL only (basePath "/", no template).
     */
    private static Pattern template(RestRegistry.RestService service) {
        String path = service.getUriTemplate() == null && service.getUrl() != null
                ? service.getUrl().replaceFirst("^[a-z]+://[^/]*", "")
                : (service.getBasePath() == null ? "" : service.getBasePath()) + "/"
                        + (service.getUriTemplate() == null ? "" : service.getUriTemplate());
        path = ("/" + path).replaceAll("/+", "/");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        StringBuilder regex = new StringBuilder();
        for (String part : path.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
