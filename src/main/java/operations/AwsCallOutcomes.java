package operations;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Tells Outages how every call of one AWS client ended (after the SDK's own retries): the
 * consumers' polls, the outbox's publishes, the visibility extensions, the dependency checks.
 */
public record AwsCallOutcomes(Outages outages, String dependency) implements ExecutionInterceptor {

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        outages.answered(dependency);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        outages.failed(dependency, context.exception());
    }
}
