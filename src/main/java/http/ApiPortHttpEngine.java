package http;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine, told which port the routes are served on. Left to itself it asks the
 * registry for the one HTTP server or router there is; with health and metrics on a port of their
 * own (MANAGEMENT_PORT) there are two, and it would attach every route to a router for port 8080,
 * whatever PORT says, and the start would fail.
 */
public final class ApiPortHttpEngine extends VertxPlatformHttpEngine {

    private final int apiPort;

    public ApiPortHttpEngine(int apiPort) {
        this.apiPort = apiPort;
    }

    @Override
    public int getServerPort() {
        return apiPort;
    }
}
