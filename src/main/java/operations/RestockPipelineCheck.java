package operations;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness only: the restock pipeline starts a moment after the HTTP routes serve
 * (config.RestockPipelineConfiguration), and until it has, the instance is not ready, as it is
 * not while its SQS consumers or SNS are down (README, Running in production).
 */
public final class RestockPipelineCheck extends ReadinessCheck {

    private final CompletableFuture<Void> started;

    public RestockPipelineCheck(CompletableFuture<Void> started) {
        super("restock-pipeline");
        this.started = started;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (!started.isDone()) {
            builder.message("The restock pipeline is starting").down();
        } else if (started.isCompletedExceptionally()) {
            builder.message("The restock pipeline could not start").down();
        } else {
            builder.up();
        }
    }
}
