package config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import operations.BusinessMetrics;
import operations.ReplicaIdentity;
import operations.ServingHealthCheck;
import operations.ServingState;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.Registry;
import sales.OrderBatches;

/**
 * The business meters, in the same registry as Camel's own so that /observe/metrics shows both.
 * Bound at start rather than on first use: every series exists from the start, at 0, instead of
 * appearing with its first event (and Prometheus sees that first increment too). And whether the
 * app is serving (ServingState), with its readiness check.
 */
public class OperationsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        PrometheusMeterRegistry meters = meterRegistry(registry);
        BusinessMetrics metrics = new BusinessMetrics(meters);
        registry.bind("businessMetrics", metrics);
        registry.bind("replicaIdentity", ReplicaIdentity.ofThisProcess());
        // donut_factory_call_seconds: the route policy on the route that makes the HTTP call.
        registry.bind("factoryCallTimer", metrics.factoryCallTimer());

        // Whether the app takes requests (readiness and the HTTP edge): it must see the context start.
        ServingState serving = new ServingState();
        context.getManagementStrategy().addEventNotifier(serving.lifecycle());
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
