package operations;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness, all of it: DOWN while the app starts, drains or stops (ServingState), so that a load
 * balancer sends requests only to an instance that takes them. Liveness stays up meanwhile: a
 * draining instance is stopping on purpose and must not be restarted for it. The dependencies are
 * no part of it (Dependencies).
 */
public final class ServingHealthCheck extends AbstractHealthCheck {

    private final ServingState serving;

    public ServingHealthCheck(ServingState serving) {
        super("serving");
        this.serving = serving;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        switch (serving.phase()) {
            case SERVING -> builder.up();
            case STARTING -> builder.message("The app is starting").down();
            case DRAINING -> builder.message("The app is stopping; it serves the requests that still come while load balancers take it out").down();
            case STOPPING -> builder.message("The app is stopping and takes no new requests").down();
        }
    }
}
