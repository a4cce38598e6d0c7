package http;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import api.AdminAuthorization;
import api.ApiException;
import api.MethodNotAllowed;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import operations.ServingState;

/**
 * What every request meets on the HTTP server before any route: the rules that concern the
 * server's own handlers (the body reader, the health endpoint) rather than one route.
 * <ul>
 * <li>HEAD is answered wherever GET is, with the GET's status and headers and no body.</li>
 * <li>Health detail ({@code ?exposureLevel=} other than oneline) names endpoints and error
 * texts, so it needs the admin token; the plain status stays anonymous for probes.</li>
 * <li>The body reader's refusals (too large, unreadable) answer in the API's error shape, and
 * quietly: unanswered, Vert.x logs each as an error with a stack trace.</li>
 * <li>A form body on a method that takes none (a GET) is refused before the body reader,
 * which otherwise fails on it with a 500.</li>
 * <li>While the app is starting (its routes not in yet) or stopping after its drain (its routes
 * going), every request is answered 503 with Retry-After in the API's error shape: the server
 * listens all that time, and would otherwise answer with an empty 503 (a route's suspended
 * consumer) or its HTML "Resource not found" (no route). Health and metrics are still answered,
 * so that probes see readiness DOWN and liveness UP (README, "Graceful stop").</li>
 * <li>A path no route serves is answered 404, or 405 with an Allow header when it is served with
 * other methods: the contract's routes share one catch-all consumer, which would answer these
 * with an empty body.</li>
 * </ul>
 */
final class HttpEdge {

    private static final Set<HttpMethod> METHODS_WITH_A_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    private static final String EXPOSURE_LEVEL = "exposureLevel";

    /** Seconds a client should wait before sending again: a start or the rest of a stop takes a few. */
    private static final String RETRY_AFTER_S = "1";

    private final EdgeAnswers answers;
    private final AdminAuthorization admin;
    private final UnmatchedRequests unmatched;
    private final ServingState serving;
    private final String healthPath;
    private final String metricsPath;
    private final long maxServerBodyBytes;

    HttpEdge(EdgeAnswers answers, AdminAuthorization admin, UnmatchedRequests unmatched, ServingState serving, String healthPath,
             String metricsPath, long maxServerBodyBytes) {
        this.answers = answers;
        this.admin = admin;
        this.unmatched = unmatched;
        this.serving = serving;
        this.healthPath = healthPath;
        this.metricsPath = metricsPath;
        this.maxServerBodyBytes = maxServerBodyBytes;
    }

    /** HEAD becomes the GET of the same URI; the server still sends no body for it. Runs first, as the router restarts. */
    void headAsGet(RoutingContext routing) {
        if (routing.request().method() == HttpMethod.HEAD) {
            routing.reroute(HttpMethod.GET, routing.request().uri());
        } else {
            routing.next();
        }
    }

    void refuseWhatNoRouteShouldSee(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String mediaType = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!METHODS_WITH_A_BODY.contains(request.method())
                && (mediaType.startsWith("application/x-www-form-urlencoded") || mediaType.startsWith("multipart/"))) {
            answers.answer(routing, 415, "UNSUPPORTED_MEDIA_TYPE", "A " + request.method() + " request takes no form body.");
            return;
        }
        if (isHealthDetail(routing)) {
            try {
                List<String> authorization = request.headers().getAll(HttpHeaders.AUTHORIZATION);
                admin.check(authorization.size() == 1 ? authorization.get(0) : null);
            } catch (ApiException refused) {
                answers.answer(routing, refused.status(), refused.code(), "Health detail is for admins. " + refused.getMessage());
                return;
            }
        }
        routing.next();
    }

    /**
     * Before the routes are in, and once the drain is over: 503 for everything but the management
     * endpoints. A load balancer sends the request elsewhere, and the factory's callback sender
     * tries again.
     */
    void refuseWhileNotServing(RoutingContext routing) {
        if (serving.takesRequests() || isManagement(routing.normalizedPath())) {
            routing.next();
            return;
        }
        boolean starting = serving.phase() == ServingState.Phase.STARTING;
        routing.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_S);
        answers.answer(routing, 503, "SERVICE_UNAVAILABLE", starting
                ? "This instance is starting and takes no requests yet; try again shortly."
                : "This instance is stopping and takes no new requests; try again shortly.");
    }

    /** After HEAD became GET: anything no route serves, the management endpoints aside, is refused here. */
    void refuseUnservedPaths(RoutingContext routing) {
        String path = routing.normalizedPath();
        if (isManagement(path)) {
            routing.next();
            return;
        }
        unmatched.refusal(routing.request().method().name(), path).ifPresentOrElse(refused -> {
            if (refused instanceof MethodNotAllowed wrongMethod) {
                routing.response().putHeader(HttpHeaders.ALLOW, wrongMethod.allowed());
            }
            answers.answer(routing, refused.status(), refused.code(), refused.getMessage());
        }, routing::next);
    }

    private boolean isManagement(String path) {
        return isUnder(path, healthPath) || isUnder(path, metricsPath);
    }

    private static boolean isUnder(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** On the path as the router matches it (normalised: "//" and %-escapes undone), with the parameter as the health endpoint reads it. */
    private boolean isHealthDetail(RoutingContext routing) {
        String path = routing.normalizedPath();
        return (path.equals(healthPath) || path.startsWith(healthPath + "/"))
                && routing.request().params().getAll(EXPOSURE_LEVEL).stream().anyMatch(level -> !level.equalsIgnoreCase("oneline"));
    }

    /**
     * The body reader fails the request with a status (413, 400), and so does a client that goes
     * away mid-request; these answer in the error shape, or not at all, instead of reaching
     * Vert.x's last resort, which logs each as an error. Anything else goes on to that. The
     * connection stays: the server reads what is left of the body and throws it away (within
     * HTTP_BODY_READ_TIMEOUT_MS), so that a client still sending reads the answer afterwards.
     */
    void answerClientFailures(RoutingContext routing) {
        if (routing.response().ended() || routing.response().closed()) {
            return;
        }
        switch (routing.statusCode()) {
            case 413 -> answers.answer(routing, 413, "BODY_TOO_LARGE", "The request body is larger than " + maxServerBodyBytes + " bytes.");
            case 400 -> answers.answer(routing, 400, "INVALID_BODY", "The request body could not be read.");
            default -> routing.next();
        }
    }
}
