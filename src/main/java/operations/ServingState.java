package operations;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.EventNotifier;

/**
 * Whether this instance takes requests, for the HTTP edge and for readiness. The HTTP server
 * listens before the routes are in and after they are gone, so the port alone says nothing:
 * <ul>
 * <li>STARTING until every route has started: readiness DOWN, every request answered 503;</li>
 * <li>SERVING: readiness UP;</li>
 * <li>DRAINING once a stop began (docs/operations.md, "Stopping"): readiness DOWN so that load balancers
 * take the instance out, while every request is still served as usual;</li>
 * <li>STOPPING once the drain is over, or the context stops by any other way: every new request
 * answered 503 while the consumers stop and the exchanges in flight finish.</li>
 * </ul>
 * The phases only move forward.
 */
public final class ServingState {

    public enum Phase { STARTING, SERVING, DRAINING, STOPPING }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);

    public Phase phase() {
        return phase.get();
    }

    /** Requests reach the routes: the app has started and is not past its drain. */
    public boolean takesRequests() {
        Phase now = phase.get();
        return now == Phase.SERVING || now == Phase.DRAINING;
    }

    /** What readiness reports: a load balancer should send requests here. */
    public boolean ready() {
        return phase.get() == Phase.SERVING;
    }

    /** Readiness goes DOWN and requests are still served. False when the app is not serving (still starting, or already stopping). */
    public boolean drain() {
        return phase.compareAndSet(Phase.SERVING, Phase.DRAINING);
    }

    /** No new request is taken from now on. */
    public void stopping() {
        phase.set(Phase.STOPPING);
    }

    /**
     * Moves to SERVING once the context has started every route. Camel calls it after the listener of
     * its supervising route controller (camel.routecontroller), which starts the routes only once the
     * context says it has started: the restock pipeline's consumers it supervises may still be retrying.
     */
    public StartupListener whenStarted() {
        return new ServedWhenStarted();
    }

    /** Moves to STOPPING when the context begins to stop, however the stop came. */
    public EventNotifier whenStopping() {
        return new ContextLifecycleNotifier() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                stopping();
            }
        };
    }

    private final class ServedWhenStarted implements StartupListener, Ordered {

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            // the routes are not started yet
        }

        @Override
        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
            phase.compareAndSet(Phase.STARTING, Phase.SERVING);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST;
        }
    }
}
