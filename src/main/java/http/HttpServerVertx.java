package http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import api.AdminAuthorization;
import api.JsonResponses;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;
import operations.ContextLifecycleNotifier;
import operations.ServingState;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;

/**
 * The Vert.x platform-http finds in the registry and makes its HTTP server with. Camel has no
 * setting for the server's options nor a hook that sees connections, and both are needed for
 * the slow-client limits, so the server is made here: with cleartext HTTP/2 off (the API is
 * HTTP/1.1, and the limits count one request at a time per connection), the slow-client limits
 * on every connection, and the edge rules on the router platform-http made just before it. With
 * MANAGEMENT_PORT set apart, Camel makes a second server for health and metrics here too, and it
 * gets the same rules, each port keeping to its own paths (ManagementPort).
 * VertxWrapper is Vert.x's own base for a Vert.x that hands every call to another.
 */
public final class HttpServerVertx extends VertxWrapper {

    /** The server's settings, as application.properties gives them (README, Configuration). */
    public record Settings(int workerThreads, long headerReadTimeoutMs, long bodyReadTimeoutMs, long idleTimeoutMs,
                           String healthPath, String metricsPath, long maxServerBodyBytes, int apiPort, int managementPort) {
    }

    private static final int FIRST = Integer.MIN_VALUE;

    private final CamelContext context;
    private final SlowClientLimits limits;
    private final HttpEdge edge;
    private final ManagementPort managementPort;
    private final Set<VertxPlatformHttpRouter> guarded = ConcurrentHashMap.newKeySet();

    /**
     * The Vert.x to bind as "vertx". Its worker pool runs each request's route, and an order waiting
     * for its batch holds a worker, so the pool also bounds how many orders one batch can take.
     * Camel closes only a Vert.x it made itself; this one is closed once the context, and with it the
     * HTTP server on this Vert.x, has stopped.
     */
    public static Vertx create(CamelContext context, Settings settings, JsonResponses answers, AdminAuthorization admin,
                               ServingState serving) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(settings.workerThreads()));
        EdgeAnswers edgeAnswers = new EdgeAnswers(answers);
        HttpServerVertx server = new HttpServerVertx((VertxInternal) vertx, context,
                new SlowClientLimits(vertx, settings.headerReadTimeoutMs(), settings.bodyReadTimeoutMs(), settings.idleTimeoutMs(),
                        edgeAnswers),
                new HttpEdge(edgeAnswers, admin, new UnmatchedRequests(context), serving, settings.healthPath(),
                        settings.metricsPath(), settings.maxServerBodyBytes()),
                new ManagementPort(edgeAnswers, settings.healthPath(), settings.metricsPath(), settings.apiPort(), settings.managementPort()));
        context.getManagementStrategy().addEventNotifier(new ContextLifecycleNotifier() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppedEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                vertx.close().toCompletionStage().toCompletableFuture().join();
            }
        });
        return server;
    }

    private HttpServerVertx(VertxInternal vertx, CamelContext context, SlowClientLimits limits, HttpEdge edge,
                            ManagementPort managementPort) {
        super(vertx);
        this.context = context;
        this.limits = limits;
        this.edge = edge;
        this.managementPort = managementPort;
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
                // Before the health detail's admin check: on the API's port there is no health path to ask about.
                managementPort.ruleFor(router).ifPresent(rule -> router.route().order(FIRST + 2).handler(rule));
                router.route().order(FIRST + 3).handler(edge::refuseWhatNoRouteShouldSee);
                router.route().order(FIRST + 4).handler(edge::refuseWhileNotServing);
                router.route().order(FIRST + 5).handler(edge::refuseUnservedPaths);
                router.route().order(FIRST).failureHandler(edge::answerClientFailures);
            }
        }
        if (guarded.isEmpty()) {
            throw new IllegalStateException("platform-http made no router before its HTTP server; the HTTP limits cannot be set");
        }
        return server;
    }
}
