package operations;

import org.apache.camel.support.EventNotifierSupport;

/**
 * An event notifier that hears the context's own lifecycle (started, stopping, routes stopped,
 * stopped) and nothing else. Camel hands every exchange, route and step event to each notifier
 * that does not say it ignores them: a notifier that only waits for the stop would otherwise be
 * asked about several events of every request.
 */
public abstract class ContextLifecycleNotifier extends EventNotifierSupport {

    protected ContextLifecycleNotifier() {
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }
}
