package http;

import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServerUtil;
import org.apache.camel.spi.ManagementStrategy;

/**
 * Camel's HTTP servers (camel-platform-http-main 4.17) add an event notifier each time the
 * context's startup listeners are told that routes started, and the supervising route controller
 * starts every route on its own: two per route, some sixty in all, each to log the endpoint
 * summary on a context start or route reload. Camel asks every notifier at each step an exchange
 * goes asynchronous, about a sixth of an order's CPU (docs/benchmark.md). Once the context has
 * started they have nothing left to log: the servers' listener logs the summary itself as routes
 * start. Ordered last, this ends each round of startup listeners.
 */
public final class StartupSummaryNotifiers implements StartupListener, Ordered {

    private static final String ADDED_BY = MainHttpServerUtil.class.getName() + "$";

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (alreadyStarted) {
            ManagementStrategy management = context.getManagementStrategy();
            management.getEventNotifiers().stream().filter(notifier -> notifier.getClass().getName().startsWith(ADDED_BY))
                    .toList().forEach(management::removeEventNotifier);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST;
    }
}
