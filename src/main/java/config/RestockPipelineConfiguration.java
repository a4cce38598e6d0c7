package config;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import operations.RestockPipelineCheck;
import operations.SnsHealthCheck;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.AlertRoute;
import routes.FactoryRoute;
import routes.OutboxRoute;
import routes.RestockDeadlinesRoute;
import routes.RestockGaugesRoute;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The restock pipeline (the outbox, the factory and alert consumers, the deadline sweeps and the
 * gauges) starts just after the HTTP routes serve, on a thread of its own. No request needs it:
 * a sale only writes the restock request's row, which the outbox publishes whenever it runs
 * (README, Rules), and the factory's callback is an HTTP route. Making its routes and the AWS
 * clients they use took about a third of a start, so a new instance answers its first request
 * without waiting for them (README, Running in production). The stack is provisioned there too
 * (AWS_PROVISION), before any of the pipeline's routes starts, and the SNS readiness check joins
 * once its client exists. Readiness waits for the pipeline (operations.RestockPipelineCheck), so a
 * load balancer sends traffic to an instance that runs all of it. A pipeline that cannot start
 * ends the process, as a failed start does.
 */
public class RestockPipelineConfiguration implements CamelConfiguration, StartupListener {

    /** In the order they start; the context stops them in the reverse order, before the HTTP routes. */
    static final List<Class<? extends RoutesBuilder>> ROUTES = List.of(OutboxRoute.class, FactoryRoute.class, AlertRoute.class,
            RestockDeadlinesRoute.class, RestockGaugesRoute.class);

    private static final Logger LOG = LoggerFactory.getLogger(RestockPipelineConfiguration.class);

    private final CompletableFuture<Void> started = new CompletableFuture<>();

    @PropertyInject("aws.provision")
    private boolean provision;
    @PropertyInject("aws.stock-topic")
    private String topic;
    @PropertyInject("aws.stock-queue")
    private String queue;
    @PropertyInject("aws.stock-dlq")
    private String dlq;
    @PropertyInject("aws.queue-retention-s")
    private int queueRetentionS;
    @PropertyInject("aws.dlq-retention-s")
    private int dlqRetentionS;
    @PropertyInject("aws.visibility-timeout-s")
    private int visibilityTimeoutS;
    @PropertyInject("aws.max-receive-count")
    private int maxReceiveCount;
    @PropertyInject("aws.health-check-timeout-ms")
    private long healthCheckTimeoutMs;

    @Override
    public void configure(CamelContext context) throws Exception {
        context.getRegistry().bind("restockPipeline", this);
        context.getRegistry().bind("restockPipelineCheck", new RestockPipelineCheck(started));
        context.addStartupListener(this);
    }

    /** Completes once every route of the pipeline has started (or fails with the reason it could not). */
    public CompletableFuture<Void> started() {
        return started;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // The pipeline is added once the context has fully started: see onCamelContextFullyStarted.
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        ExecutorService thread = context.getExecutorServiceManager().newSingleThreadExecutor(this, "restock-pipeline-start");
        thread.execute(() -> {
            try {
                start(context);
                started.complete(null);
            } catch (Exception e) {
                started.completeExceptionally(e);
                if (context.isStopping() || context.isStopped()) {
                    LOG.info("The restock pipeline did not start: the app is stopping");
                } else {
                    LOG.error("The restock pipeline could not start; stopping the app", e);
                    // Not from this thread: stopping the context waits for the threads it made.
                    new Thread(() -> System.exit(1), "restock-pipeline-failed").start();
                }
            } finally {
                thread.shutdown();
            }
        });
    }

    private void start(CamelContext context) throws Exception {
        long began = System.nanoTime();
        Registry registry = context.getRegistry();
        SnsClient sns = registry.lookupByNameAndType("snsClient", SnsClient.class);
        if (provision) {
            new StackProvisioner(sns, registry.lookupByNameAndType("sqsClient", SqsClient.class)).provision(new StackProvisioner.Stack(
                    topic, queue, dlq, queueRetentionS, dlqRetentionS, visibilityTimeoutS, maxReceiveCount));
        }
        registry.bind("snsHealthCheck", new SnsHealthCheck(sns, topic, Duration.ofMillis(healthCheckTimeoutMs)));
        for (Class<? extends RoutesBuilder> routes : ROUTES) {
            // The injector fills the builder's @PropertyInject fields, as Camel Main does for its route builders.
            context.addRoutes(context.getInjector().newInstance(routes));
        }
        LOG.info("Restock pipeline started in {} ms", Duration.ofNanos(System.nanoTime() - began).toMillis());
    }
}
