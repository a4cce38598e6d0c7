package http;

import java.util.Locale;
import java.util.Set;

import api.AdminAuthorization;
import api.ApiError;
import api.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import operations.ServingState;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * What every request meets before Camel's routes, added to the routers Camel's HTTP servers make
 * (VertxPlatformHttpRouter, platform-http's extension point), for what no Camel option sets:
 * <ul>
 * <li>HEAD is answered wherever GET is, with the GET's status and headers and no body.</li>
 * <li>A form body on a method that takes none (a GET) is refused: Vert.x's body reader fails on it.</li>
 * <li>The body reader's own refusals (larger than MAX_SERVER_BODY_BYTES, unreadable) answer in
 * the API's error shape; unanswered, Vert.x logs each as an error.</li>
 * <li>Health detail ({@code ?exposureLevel=} other than oneline) names endpoints and error texts,
 * so it needs the admin token; the plain status stays anonymous for probes.</li>
 * <li>While the app starts (its routes not in yet) or stops after its drain, every request but
 * health and metrics is answered 503 with Retry-After: a load balancer sends it elsewhere
 * (docs/operations.md, "Stopping").</li>
 * <li>With MANAGEMENT_PORT apart, its server answers nothing but health and metrics.</li>
 * </ul>
 * Slow clients and connection limits are the load balancer's (deploy/haproxy.cfg).
 */
public final class HttpEdge {

    private static final int FIRST = Integer.MIN_VALUE;
    private static final Set<HttpMethod> METHODS_WITH_A_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    /** Seconds a client should wait before sending again: a start or the rest of a stop takes a few. */
    private static final String RETRY_AFTER_S = "1";

    private final ObjectMapper json;
    private final AdminAuthorization admin;
    private final ServingState serving;
    private final String healthPath;
    private final String metricsPath;
    private final long maxServerBodyBytes;

    public HttpEdge(ObjectMapper json, AdminAuthorization admin, ServingState serving, String healthPath, String metricsPath,
                    long maxServerBodyBytes) {
        this.json = json;
        this.admin = admin;
        this.serving = serving;
        this.healthPath = healthPath;
        this.metricsPath = metricsPath;
        this.maxServerBodyBytes = maxServerBodyBytes;
    }

    /**
     * Once Camel's HTTP servers are made, before the routes start, so that no request meets Vert.x's
     * own 404 page while they do; false when a server is not made yet.
     */
    public boolean install(CamelContext context, int apiPort, int managementPort) {
        Router api = router(context, apiPort);
        Router management = managementPort == apiPort ? api : router(context, managementPort);
        if (api == null || management == null) {
            return false;
        }
        // One handler: Vert.x walks its router's routes again for every handler a request passes.
        api.route().order(FIRST).handler(routing -> admit(routing, true, managementPort == apiPort));
        api.route().order(FIRST).failureHandler(this::answerBodyReaderFailures);
        if (managementPort != apiPort) {
            management.route().order(FIRST).handler(routing -> admit(routing, false, true));
            management.route().last().handler(routing -> answer(routing, 404, new ApiError("NOT_FOUND", "There is nothing at this path.")));
        }
        return true;
    }

    /** HEAD becomes the GET of the same URI (the server still sends no body for it), and the routing restarts with it. */
    private void admit(RoutingContext routing, boolean servesApi, boolean servesHealth) {
        if (routing.request().method() == HttpMethod.HEAD) {
            routing.reroute(HttpMethod.GET, routing.request().uri());
            return;
        }
        // As the health endpoint reads it: normalised ("//" and %-escapes undone).
        String path = routing.normalizedPath();
        boolean refused = servesApi && refusedFormBodyWithoutBody(routing)
                || servesHealth && refusedHealthDetail(routing, path)
                || servesApi && refusedWhileNotServing(routing, path);
        if (!refused) {
            routing.next();
        }
    }

    private static Router router(CamelContext context, int port) {
        return VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
    }

    private boolean refusedFormBodyWithoutBody(RoutingContext routing) {
        String contentType = routing.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String mediaType = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!METHODS_WITH_A_BODY.contains(routing.request().method())
                && (mediaType.startsWith("application/x-www-form-urlencoded") || mediaType.startsWith("multipart/"))) {
            answer(routing, 415, new ApiError("UNSUPPORTED_MEDIA_TYPE", "A " + routing.request().method() + " request takes no form body."));
            return true;
        }
        return false;
    }

    private boolean refusedHealthDetail(RoutingContext routing, String path) {
        boolean detail = isUnder(path, healthPath)
                && routing.request().params().getAll("exposureLevel").stream().anyMatch(level -> !level.equalsIgnoreCase("oneline"));
        if (detail) {
            try {
                var authorization = routing.request().headers().getAll(AdminAuthorization.HEADER);
                admin.check(authorization.size() == 1 ? authorization.get(0) : null);
            } catch (ApiException refused) {
                answer(routing, refused.status(), new ApiError(refused.code(), "Health detail is for admins. " + refused.getMessage()));
                return true;
            }
        }
        return false;
    }

    private boolean refusedWhileNotServing(RoutingContext routing, String path) {
        if (serving.takesRequests() || isUnder(path, healthPath) || isUnder(path, metricsPath)) {
            return false;
        }
        routing.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_S);
        answer(routing, 503, new ApiError("SERVICE_UNAVAILABLE", serving.phase() == ServingState.Phase.STARTING
                ? "This instance is starting and takes no requests yet; try again shortly."
                : "This instance is stopping and takes no new requests; try again shortly."));
        return true;
    }

    /**
     * The connection stays: the server reads what is left of the body and throws it away, so that
     * a client still sending reads the answer afterwards. A client that went away gets nothing.
     */
    private void answerBodyReaderFailures(RoutingContext routing) {
        if (routing.response().ended() || routing.response().closed()) {
            return;
        }
        switch (routing.statusCode()) {
            case 413 -> answer(routing, 413, new ApiError("BODY_TOO_LARGE", "The request body is larger than " + maxServerBodyBytes + " bytes."));
            case 400 -> answer(routing, 400, new ApiError("INVALID_BODY", "The request body could not be read."));
            default -> routing.next();
        }
    }

    private void answer(RoutingContext routing, int status, ApiError error) {
        Buffer body;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(error));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The error shape cannot be written", e);
        }
        routing.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }

    private static boolean isUnder(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
