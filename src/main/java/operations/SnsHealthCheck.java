package operations;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Topic;

/**
 * Readiness only: the stock-empty topic must be reachable, or stock-outs pile up in the outbox
 * (they are kept and published later, so the process itself stays live). Camel's own producer
 * check would build an SNS client of its own, without this app's region, endpoint and timeouts;
 * this one asks through the same client the outbox publishes with, with a short timeout of its own.
 */
public final class SnsHealthCheck extends ReadinessCheck {

    private final SnsClient sns;
    private final String topic;
    private final Duration timeout;

    public SnsHealthCheck(SnsClient sns, String topic, Duration timeout) {
        super("sns");
        this.sns = sns;
        this.topic = topic;
        this.timeout = timeout;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            // ListTopics is what the app is already allowed to call (deploy/iam-policy.json).
            boolean found = sns.listTopicsPaginator(request -> request.overrideConfiguration(call -> call.apiCallTimeout(timeout)))
                    .topics().stream().map(Topic::topicArn).anyMatch(this::isStockTopic);
            if (found) {
                builder.up();
            } else {
                builder.message("SNS answers but has no topic " + topic).down();
            }
        } catch (RuntimeException e) {
            builder.message("SNS is not reachable: " + e.getMessage()).down();
        }
    }

    private boolean isStockTopic(String arn) {
        return arn.equals(topic) || arn.endsWith(":" + topic);
    }
}
