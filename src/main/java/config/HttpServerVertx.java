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
 * The Vert.x platform-http finds in the registry and makes its HTTP server with. Camel has no
 * setting for the server's options nor a hook that sees connections, and both are needed for
 * the slow-client limits, so the server is made here: with cleartext HTTP/2 off (the API is
 * HTTP/1.1, and the limits count one request at a time per connection), the slow-client limits
 * on every connection, and the edge rules on the router platform-http made just before it.
 * VertxWrapper is Vert.x's own base for a Vert.x that hands every call to another.
 */
final class HttpServerVertx extends VertxWrapper {

    private static final int FIRST = Integer.MIN_VALUE;

    private final CamelContext context;
    private final SlowClientLimits limits;
    private final HttpEdge edge;
    private final Set<VertxPlatformHttpRouter> guarded = ConcurrentHashMap.newKeySet();

    HttpServerVertx(VertxInternal vertx, CamelContext context, SlowClientLimits limits, HttpEdge edge) {
        super(vertx);
        this.context = context;
        this.limits = limits;
        this.edge = edge;
    }

    @Override
    public HttpServer createHttpServer() {
        return createHttpServer(new HttpServerOptions());
    }

    @Override
    public HttpServer createHttpServer(HttpServerOptions options) {
        HttpServer server = delegate.createHttpServer(new HttpServerOptions(options).setHttp2ClearTextEnabled(false));
        server.connectionHandler(limits::opened);
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (guarded.add(router)) {
                // HEAD first: the router starts again from the top with GET.
                router.route().order(FIRST).handler(edge::headAsGet);
                router.route().order(FIRST + 1).handler(limits::requestArrived);
                router.route().order(FIRST + 2).handler(edge::refuseWhatNoRouteShouldSee);
                router.route().order(FIRST).failureHandler(edge::answerClientFailures);
            }
        }
        if (guarded.isEmpty()) {
            throw new IllegalStateException("platform-http made no router before its HTTP server; the HTTP limits cannot be set");
        }
        return server;
    }
}
