package config;

import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import operations.BusinessMetrics;
import operations.ReplicaIdentity;
import operations.ServingHealthCheck;
import operations.ServingState;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import sales.OrderBatches;

/**
 * The business meters, in the same registry as Camel's own so that /observe/metrics shows both.
 * Bound at start rather than on first use: every series exists from the start, at 0, instead of
 * appearing with its first event (and Prometheus sees that first increment too). And whether the
 * app is serving (ServingState), with its readiness check. The JVM's own meters (memory, GC,
 * threads, CPU) are bound just after the start: no request needs them, and binding them through
 * camel.metrics.binders, which first reads an index of every binder there is, took a noticeable
 * share of a start.
 */
public class OperationsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        PrometheusMeterRegistry meters = meterRegistry(registry);
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // Bound once the routes serve: see onCamelContextFullyStarted.
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                bindJvmMeters(started, meters);
            }
        });
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

    private static void bindJvmMeters(CamelContext context, MeterRegistry meters) throws Exception {
        JvmGcMetrics gc = new JvmGcMetrics();
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ProcessorMetrics())) {
            binder.bindTo(meters);
        }
        // It listens to the JVM's GC notifications until closed.
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                gc.close();
            }
        }, true, true);
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
