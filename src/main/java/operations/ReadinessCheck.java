package operations;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A dependency the app needs to serve, not to live: when it is down, /observe/health/ready says
 * so and traffic should go elsewhere, but the process must not be restarted for it.
 */
abstract class ReadinessCheck extends AbstractHealthCheck {

    ReadinessCheck(String id) {
        super("donut-states", id);
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }
}
