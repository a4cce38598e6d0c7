package config;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import javax.sql.DataSource;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import operations.BusinessMetrics;
import operations.Dependencies;
import operations.DependencyPolls;
import operations.Outages;
import operations.ReplicaIdentity;
import operations.ServingHealthCheck;
import operations.ServingState;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.aws2.sns.Sns2Endpoint;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import restock.StockQueueBacklog;
import sales.OrderBatches;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The business meters, in the same registry as Camel's own so that /observe/metrics shows both,
 * bound at start so that every series exists from the start, at 0; whether the app is serving
 * (ServingState), which is all readiness says; and the dependencies, checked in the background.
 */
public class OperationsConfiguration implements CamelConfiguration {


    /**
     * Told of every call to the database and to SNS and SQS that failed because it did not answer
     * (DatabaseConfiguration, AwsConfiguration), so that an outage is a few lines of log, whatever
     * fails meanwhile (docs/operations.md, "Outages").
     */
    @BindToRegistry(lazy = true)
    public Outages outages(@PropertyInject("outage.reminder-s") int reminderS, CamelContext context) {
        return new Outages(meterRegistry(context.getRegistry()), Duration.ofSeconds(reminderS), "database", "sns", "sqs");
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        PrometheusMeterRegistry meters = meterRegistry(registry);
        BusinessMetrics metrics = new BusinessMetrics(meters);
        registry.bind("businessMetrics", metrics);
        registry.bind("replicaIdentity", ReplicaIdentity.ofThisProcess());
        // donut_factory_call_seconds: the route policy on the route that makes the HTTP call.
        registry.bind("factoryCallTimer", metrics.factoryCallTimer());

        // Camel hands each exchange and step event (several per order) to every notifier that does not ignore it.
        MicrometerRouteEventNotifier routeMeters = new MicrometerRouteEventNotifier();
        routeMeters.setMeterRegistry(meters);
        routeMeters.setIgnoreExchangeEvents(true);
        routeMeters.setIgnoreStepEvents(true);
        context.getManagementStrategy().addEventNotifier(routeMeters);

        // Whether the app takes requests (readiness and the HTTP edge): it must see the context start.
        ServingState serving = new ServingState();
        context.addStartupListener(serving.whenStarted());
        context.getManagementStrategy().addEventNotifier(serving.whenStopping());
        registry.bind("servingState", serving);
        registry.bind("servingHealthCheck", new ServingHealthCheck(serving));

        // With donut_orders_total{result="sold"} these give the average batch size under load.
        OrderBatches orderBatches = registry.lookupByNameAndType("orderBatches", OrderBatches.class);
        FunctionCounter.builder("donut.order.batches", orderBatches, OrderBatches::batches)
                .description("Transactions that sold a batch of orders for one product")
                .register(meters);
        Gauge.builder("donut.orders.waiting", orderBatches, OrderBatches::waiting)
                .description("Orders waiting while another request sells the batch of their product")
                .register(meters);

        Outages outages = registry.lookupByNameAndType("outages", Outages.class);
        registry.bind("databasePolls", new DependencyPolls(outages, "database"));
        registry.bind("sqsPolls", new DependencyPolls(outages, "sqs"));

        Dependencies dependencies = dependencies(context, meters, outages);
        dependencies.healthChecks().forEach(HealthCheckRegistry.get(context)::register);
        context.addService(dependencies, true, true);
    }

    private static Dependencies dependencies(CamelContext context, PrometheusMeterRegistry meters, Outages outages) {
        Registry registry = context.getRegistry();
        Duration timeout = Duration.ofMillis(Long.parseLong(context.resolvePropertyPlaceholders("{{aws.health-check-timeout-ms}}")));
        String topicUri = context.resolvePropertyPlaceholders("{{stock-topic.uri}}");
        DataSource database = registry.lookupByNameAndType("dataSource", DataSource.class);
        return new Dependencies(context, Duration.ofMillis(Long.parseLong(context.resolvePropertyPlaceholders("{{health.check-ms}}"))), meters, outages,
                new Dependencies.Probe("database", () -> {
                    try (Connection connection = database.getConnection()) {
                        if (!connection.isValid((int) Math.max(1, timeout.toSeconds()))) {
                            throw new SQLTransientConnectionException("it did not answer a validation within " + timeout.toSeconds() + " s");
                        }
                    }
                    return null;
                }),
                new Dependencies.Probe("sns", () -> {
                    // The ARN Camel's SNS endpoint publishes to: as given, or as it found the name at start.
                    String arn = context.getEndpoint(topicUri, Sns2Endpoint.class).getConfiguration().getTopicArn();
                    registry.lookupByNameAndType("snsClient", SnsClient.class)
                            .getTopicAttributes(request -> request.topicArn(arn).overrideConfiguration(call -> call.apiCallTimeout(timeout)));
                    return null;
                }),
                new Dependencies.Probe("sqs", () -> {
                    registry.lookupByNameAndType("stockQueueBacklog", StockQueueBacklog.class).waitingMessages();
                    return null;
                }));
    }

    /**
     * camel-micrometer-prometheus (camel.metrics.*) serves the PrometheusMeterRegistry bound as
     * "metricsRegistry", and binds a new one there only when none is; so whichever of us starts
     * first, both use the same.
     */
    private static PrometheusMeterRegistry meterRegistry(Registry registry) {
        PrometheusMeterRegistry meterRegistry = registry.lookupByNameAndType(
                MicrometerConstants.METRICS_REGISTRY_NAME, PrometheusMeterRegistry.class);
        if (meterRegistry == null) {
            meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meterRegistry);
        }
        return meterRegistry;
    }
}
