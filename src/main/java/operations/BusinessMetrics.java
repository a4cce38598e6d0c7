package operations;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import alerts.DeadLetters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.RoutePolicySupport;
import restock.RestockRequest;

/**
 * The shop's own meters on {@code /observe/metrics}, in the registry Camel's meters use. Every
 * series is registered at start, so a counter reads 0 before its first event instead of being
 * missing, and Prometheus sees the first increment too.
 */
public final class BusinessMetrics {

    /** A call slower than the factory timeout (10 s by default) lands in +Inf. */
    private static final Duration[] FACTORY_CALL_BUCKETS = {
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    private static final String FACTORY_CALL_SAMPLE = "donutFactoryCallSample";

    private final MeterRegistry registry;

    private final Counter ordersSold;
    private final Counter ordersOutOfStock;
    private final Counter ordersRejected;
    private final Map<String, Counter> deadLetters = new TreeMap<>();
    private final Counter republished;
    private final Counter published;
    private final Counter alertEmailsSent;
    private final Timer factoryCallSucceeded;
    private final Timer factoryCallFailed;
    private final Map<String, AtomicLong> restockRequests = new TreeMap<>();

    public BusinessMetrics(MeterRegistry registry) {
        this.registry = registry;
        ordersSold = order(registry, "sold");
        ordersOutOfStock = order(registry, "out_of_stock");
        ordersRejected = order(registry, "rejected");
        for (String reason : DeadLetters.REASONS) {
            deadLetters.put(reason, Counter.builder("donut.dead.letters")
                    .description("Restock requests dead-lettered to stock-dlq, by reason (sqs_redrive: SQS's own redrive policy)")
                    .tag("reason", reason)
                    .register(registry));
        }
        published = Counter.builder("donut.restock.published")
                .description("SNS publishes of restock requests that SNS accepted, by this replica")
                .register(registry);
        republished = Counter.builder("donut.restock.republished")
                .description("Restock requests published again because no factory consumer took them by their deadline")
                .register(registry);
        alertEmailsSent = Counter.builder("donut.alert.emails.sent")
                .description("Ops alert emails the SMTP server accepted")
                .register(registry);
        factoryCallSucceeded = factoryCall(registry, "success");
        factoryCallFailed = factoryCall(registry, "failure");
        for (String status : RestockRequest.STATUSES) {
            AtomicLong count = new AtomicLong();
            restockRequests.put(status, count);
            Gauge.builder("donut.restock.requests", count, AtomicLong::get)
                    .description("Restock requests in each status, as last read from the database")
                    .tag("status", status)
                    .register(registry);
        }
    }

    /** A sale that took stock. A replayed Idempotency-Key answers the first sale again and is not counted. */
    public void orderSold() {
        ordersSold.increment();
    }

    /** A request the OpenAPI document refused before its route ran: an order's is a rejected order. */
    public void requestRefused(String operationId) {
        if ("placeOrder".equals(operationId) || "checkout".equals(operationId)) {
            ordersRejected.increment();
        }
    }

    public void orderOutOfStock() {
        ordersOutOfStock.increment();
    }

    /** An order refused with a 4xx before it could sell: bad input, unknown product, reused key. */
    public void orderRejected() {
        ordersRejected.increment();
    }

    /**
     * Called once a dead letter is on the DLQ; for SQS's own redrive, once the alert route has
     * found it there (the app never sent it).
     */
    public void deadLettered(String reason) {
        deadLetters.get(reason).increment();
    }

    /** SNS accepted a restock request's message from this replica's outbox. */
    public void published() {
        published.increment();
    }

    /** A request nobody took by its deadline was handed back to the outbox to be published again. */
    public void republished() {
        republished.increment();
    }

    /** Called only after the mail endpoint returned, that is once the SMTP server took the mail. */
    public void alertMailed() {
        alertEmailsSent.increment();
    }

    /** The rows of {@code sql/restock/count-by-status.sql}; a status with no row reads 0. */
    public void restockRequests(List<Map<String, Object>> countsByStatus) {
        Map<String, Long> counts = new TreeMap<>();
        for (Map<String, Object> row : countsByStatus) {
            counts.put(String.valueOf(row.get("status")), ((Number) row.get("requests")).longValue());
        }
        restockRequests.forEach((status, gauge) -> gauge.set(counts.getOrDefault(status, 0L)));
    }

    /**
     * Another replica holds the gauges' lease and reports the counts; this one reports 0, so that
     * summing the gauges over instances counts each request once.
     */
    public void restockRequestsCountedElsewhere() {
        restockRequests.values().forEach(gauge -> gauge.set(0));
    }

    /**
     * Times every exchange through the route it is set on, by outcome. On a route that only calls
     * the factory, that is the duration of each call, retries included one by one.
     */
    public RoutePolicy factoryCallTimer() {
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route route, Exchange exchange) {
                exchange.setProperty(FACTORY_CALL_SAMPLE, Timer.start(registry));
            }

            @Override
            public void onExchangeDone(Route route, Exchange exchange) {
                Timer.Sample sample = (Timer.Sample) exchange.removeProperty(FACTORY_CALL_SAMPLE);
                if (sample != null) {
                    sample.stop(exchange.isFailed() ? factoryCallFailed : factoryCallSucceeded);
                }
            }
        };
    }

    private static Counter order(MeterRegistry registry, String result) {
        return Counter.builder("donut.orders")
                .description("Order requests (POST /api/orders, POST /checkout) by result")
                .tag("result", result)
                .register(registry);
    }

    private static Timer factoryCall(MeterRegistry registry, String outcome) {
        return Timer.builder("donut.factory.call")
                .description("Calls to the legacy Factory API (POST /api/manufactures), each retry on its own")
                .tag("outcome", outcome)
                .serviceLevelObjectives(FACTORY_CALL_BUCKETS)
                .register(registry);
    }
}
