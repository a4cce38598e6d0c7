package http;

import java.util.Optional;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Health and metrics on a port of their own (MANAGEMENT_PORT, README Configuration). Camel serves
 * them from a second HTTP server then, which meets the same edge rules as the API's (HttpEdge);
 * this keeps each port to its own paths: the API's port answers the health and metrics paths 404,
 * as it answers any path nobody serves, so the public listener gives away nothing of them, and the
 * management port answers nothing else. With one port for both, it does nothing.
 */
final class ManagementPort {

    private final EdgeAnswers answers;
    private final String healthPath;
    private final String metricsPath;
    private final int apiPort;
    private final int managementPort;

    ManagementPort(EdgeAnswers answers, String healthPath, String metricsPath, int apiPort, int managementPort) {
        this.answers = answers;
        this.healthPath = healthPath;
        this.metricsPath = metricsPath;
        this.apiPort = apiPort;
        this.managementPort = managementPort;
    }

    /** The rule for the router of one of the two servers; none when both are one server. */
    Optional<Handler<RoutingContext>> ruleFor(VertxPlatformHttpRouter router) {
        if (apiPort == managementPort) {
            return Optional.empty();
        }
        int port = router.getServer().getPort();
        if (port == managementPort) {
            return Optional.of(this::serveOnlyManagementPaths);
        }
        return port == apiPort ? Optional.of(this::hideManagementPaths) : Optional.empty();
    }

    private void hideManagementPaths(RoutingContext routing) {
        if (isManagementPath(routing.normalizedPath())) {
            nothingHere(routing);
        } else {
            routing.next();
        }
    }

    private void serveOnlyManagementPaths(RoutingContext routing) {
        if (isManagementPath(routing.normalizedPath())) {
            routing.next();
        } else {
            nothingHere(routing);
        }
    }

    /** The answer of UnmatchedRequests for a path nobody serves, word for word. */
    private void nothingHere(RoutingContext routing) {
        answers.answer(routing, 404, "NOT_FOUND", "There is nothing at this path.");
    }

    private boolean isManagementPath(String path) {
        return isUnder(path, healthPath) || isUnder(path, metricsPath);
    }

    private static boolean isUnder(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
