package config;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The Vert.x platform-http finds in the registry and makes its HTTP server with. The router
 * platform-http puts its routes on is made just before the server, and Camel has no setting for
 * a handler in front of those routes, so the edge rules go onto that router here.
 * VertxWrapper is Vert.x's own base for a Vert.x that hands every call to another.
 */
final class HttpServerVertx extends VertxWrapper {

    private static final int FIRST = Integer.MIN_VALUE;

    private final CamelContext context;
    private final HttpEdge edge;
    private final Set<VertxPlatformHttpRouter> guarded = ConcurrentHashMap.newKeySet();

    HttpServerVertx(VertxInternal vertx, CamelContext context, HttpEdge edge) {
        super(vertx);
        this.context = context;
        this.edge = edge;
    }

    @Override
    public HttpServer createHttpServer() {
        return createHttpServer(new HttpServerOptions());
    }

    @Override
    public HttpServer createHttpServer(HttpServerOptions options) {
        HttpServer server = delegate.createHttpServer(options);
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (guarded.add(router)) {
                // HEAD first: the router starts again from the top with GET.
                router.route().order(FIRST).handler(edge::headAsGet);
                router.route().order(FIRST + 1).handler(edge::refuseWhatNoRouteShouldSee);
                router.route().order(FIRST).failureHandler(edge::answerClientFailures);
            }
        }
        if (guarded.isEmpty()) {
            throw new IllegalStateException("platform-http made no router before its HTTP server; the edge rules cannot be set");
        }
        return server;
    }
}
