package operations;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.MainSupport;
import org.apache.camel.spi.CamelEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stop a deploy sends (SIGTERM), as a drain (docs/operations.md, "Stopping"): readiness goes DOWN
 * at once and every request is still served for SHUTDOWN_DRAIN_S, long enough for a load
 * balancer's health check to take the instance out (deploy/README.md has the arithmetic); then
 * new requests are answered 503, the queue consumers and pollers stop, the exchanges in flight
 * finish (up to SHUTDOWN_TIMEOUT_S), and only then does the HTTP server close. Each phase is one
 * INFO line with its time since the stop began.
 *
 * Camel Main calls this between the signal and the context's stop. Its JVM shutdown hook waits
 * for the context for SHUTDOWN_TIMEOUT_S plus an extra margin and then lets the JVM exit, so the
 * drain is added to that margin: the hook must not cut the stop short while it drains.
 */
public final class GracefulStop extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
    private static final String DRAIN_PROPERTY = "shutdown.drain-s";

    private volatile long began;

    @Override
    public void afterConfigure(BaseMainSupport main) {
        int drainS = drainSeconds(main.getCamelContext());
        if (main instanceof MainSupport support) {
            support.getShutdownStrategy().setExtraShutdownTimeout(support.getShutdownStrategy().getExtraShutdownTimeout() + drainS);
        }
        main.getCamelContext().getManagementStrategy().addEventNotifier(new ContextLifecycleNotifier() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextRoutesStoppedEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                if (began != 0) {
                    LOG.info("Stop: the consumers have stopped and the exchanges in flight have finished, {} after the stop began",
                            since(began));
                }
            }
        });
    }

    @Override
    public void beforeStop(BaseMainSupport main) {
        began = System.nanoTime();
        CamelContext context = main.getCamelContext();
        ServingState serving = context.getRegistry().lookupByNameAndType("servingState", ServingState.class);
        int drainS = drainSeconds(context);
        long timeoutS = context.getShutdownStrategy().getTimeUnit().toSeconds(context.getShutdownStrategy().getTimeout());
        if (serving == null || !serving.drain()) {
            LOG.info("Stop: the app was not serving, so there is nothing to drain; stopping now");
            return;
        }
        LOG.info("Stop: readiness is DOWN; requests are still served for {} s (SHUTDOWN_DRAIN_S) while load balancers take this"
                + " instance out", drainS);
        try {
            TimeUnit.SECONDS.sleep(drainS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        serving.stopping();
        LOG.info("Stop: drained for {}; new requests are answered 503 from now on. Stopping the queue consumers and pollers and"
                        + " finishing {} exchanges in flight (at most {} s, SHUTDOWN_TIMEOUT_S)",
                since(began), context.getInflightRepository().size(), timeoutS);
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        if (began != 0) {
            LOG.info("Stop: the HTTP server is closed and the app stopped, {} after the stop began", since(began));
        }
    }

    private static int drainSeconds(CamelContext context) {
        return Integer.parseInt(context.getPropertiesComponent().resolveProperty(DRAIN_PROPERTY).orElse("0").trim());
    }

    private static String since(long start) {
        Duration taken = Duration.ofNanos(System.nanoTime() - start);
        return "%d.%03d s".formatted(taken.toSeconds(), taken.toMillisPart());
    }
}
