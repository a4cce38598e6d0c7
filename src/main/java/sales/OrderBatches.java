package sales;

import api.ApiException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.springframework.dao.DuplicateKeyException;

/**
 * Group commit for orders of one product. Every sale of a SKU updates the same row, and that
 * row stays locked from the sale's UPDATE to its COMMIT, so one transaction per order makes
 * orders for a popular donut queue behind each other. Orders of one SKU that arrive while a
 * batch is in the database wait for the next batch, which sells them all in one transaction:
 * one conditional UPDATE for their total, then their rows. Each order still gets its own answer,
 * exactly what it would have got had the batch's orders been sold one after another in arrival
 * order.
 *
 * <p>No thread of its own and no timer: the first waiting request runs the next batch on its own
 * thread (the leader) and hands on to the next one waiting when it is done, so an order that
 * arrives alone is sold at once, and a crowd is served in as few transactions as it takes.
 * Camel's Aggregator cannot answer each of the aggregated requests, which is why this is a bean.
 */
public final class OrderBatches {

    /** Exchange variables the sales route reads after {@link #sell}. */
    public static final String SOLD = "sold";
    public static final String IDEMPOTENCY_RACE = "idempotencyRace";
    /** Set by the batch's route when its SKU names no product: nothing was sold, each order is answered 404. */
    public static final String UNKNOWN_PRODUCT = "unknownProduct";

    private final ProducerTemplate producer;
    private final String batchUri;
    private final int maxBatch;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final LongAdder waiting = new LongAdder();
    private final LongAdder batches = new LongAdder();

    public OrderBatches(ProducerTemplate producer, String batchUri, int maxBatch) {
        this.producer = producer;
        this.batchUri = batchUri;
        this.maxBatch = maxBatch;
    }

    /**
     * Sells the order in the body (the map of {@link OrderRequests}) in the next batch of its SKU
     * and returns once that batch has committed or rolled back. Afterwards the body holds
     * {@code remainingStock} when sold, or {@code available} when refused; variable {@link #SOLD}
     * says which, and {@link #IDEMPOTENCY_RACE} asks the caller to go round again because another
     * order with the same Idempotency-Key got there first. A failure of the batch is thrown here.
     */
    @SuppressWarnings("unchecked")
    public void sell(Exchange exchange) throws Exception {
        Map<String, Object> order = exchange.getMessage().getBody(Map.class);
        String sku = (String) order.get("sku");
        Pending pending = new Pending(order);
        waiting.increment();
        try {
            if (!join(sku, pending)) {
                pending.awaitTurnOrOutcome();
            }
        } finally {
            waiting.decrement();
        }
        if (!pending.done()) {
            lead(sku);
        }
        exchange.setVariable(SOLD, pending.sold);
        exchange.setVariable(IDEMPOTENCY_RACE, pending.race);
        if (pending.failure != null) {
            throw pending.failure;
        }
    }

    /** Orders queued behind a batch of their product, or leading one that has not started yet. */
    public long waiting() {
        return waiting.sum();
    }

    /** Transactions that sold (or refused) a batch of orders, however many it held. */
    public long batches() {
        return batches.sum();
    }

    /**
     * Queues the order in the lane of its SKU, made for it when the SKU has none; true when the
     * order is to lead the next batch. Joining and {@link #handOver} both run under the map's lock
     * of the SKU, so a lane is never dropped while an order joins it.
     */
    private boolean join(String sku, Pending pending) {
        boolean[] leads = {false};
        lanes.compute(sku, (key, lane) -> {
            Lane joined = lane == null ? new Lane() : lane;
            leads[0] = joined.join(pending);
            return joined;
        });
        return leads[0];
    }

    private void lead(String sku) {
        // The leader's lane is there: a lane goes only when nobody is left to lead it.
        Lane lane = lanes.get(sku);
        List<Pending> batch = lane.take(maxBatch);
        batches.increment();
        try {
            run(batch);
        } finally {
            for (Pending pending : batch) {
                pending.finish();
            }
            Pending next = handOver(sku);
            if (next != null) {
                next.promote();
            }
        }
    }

    /**
     * The order to lead the next batch of the SKU, or null when nobody is waiting; then the lane
     * is dropped, so that the map holds only the SKUs being ordered right now and not every SKU
     * a client ever named (an unknown one included).
     */
    private Pending handOver(String sku) {
        Pending[] next = {null};
        lanes.computeIfPresent(sku, (key, lane) -> {
            next[0] = lane.handOver();
            return next[0] == null ? null : lane;
        });
        return next[0];
    }

    private void run(List<Pending> batch) {
        // Two requests with one Idempotency-Key in one batch: the first is sold, the other goes
        // round again afterwards and finds the first one's order, as if it had come a moment later.
        List<Pending> selling = new ArrayList<>(batch.size());
        Set<Object> keys = new HashSet<>();
        for (Pending pending : batch) {
            Object key = pending.order.get("idempotencyKey");
            if (key == null || keys.add(key)) {
                selling.add(pending);
            } else {
                pending.race = true;
            }
        }
        List<Map<String, Object>> orders = new ArrayList<>(selling.size());
        for (Pending pending : selling) {
            orders.add(pending.order);
        }
        Exchange result;
        try {
            result = producer.send(batchUri, ExchangePattern.InOut, e -> e.getMessage().setBody(orders));
        } catch (RuntimeException e) {
            selling.forEach(p -> p.failure = e);
            return;
        }
        Exception failure = result.getException() != null ? result.getException()
                : result.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure == null && result.isRollbackOnly()) {
            failure = new IllegalStateException("The batch of " + orders.size() + " orders was rolled back");
        }
        if (failure instanceof DuplicateKeyException) {
            // An Idempotency-Key that was not free after all (sold by another batch or instance
            // since it was looked up): nothing was committed, so every order goes round again.
            selling.forEach(p -> p.race = true);
        } else if (failure != null) {
            Exception cause = failure;
            selling.forEach(p -> p.failure = cause);
        } else if (Boolean.TRUE.equals(result.getVariable(UNKNOWN_PRODUCT))) {
            ApiException unknown = ApiException.notFound("UNKNOWN_SKU", "No such product.");
            selling.forEach(p -> p.failure = unknown);
        } else {
            selling.forEach(p -> p.sold = Boolean.TRUE.equals(p.order.get(SOLD)));
        }
        for (Pending pending : selling) {
            pending.order.remove(SOLD);
        }
    }

    // --- what the batch's transaction (SalesRoute's direct:sell) calls ---------------------------

    /** The parameters of one conditional UPDATE that takes the whole batch's stock at once. */
    public Map<String, Object> total(List<Map<String, Object>> orders) {
        int quantity = 0;
        for (Map<String, Object> order : orders) {
            quantity += ((Number) order.get("quantity")).intValue();
        }
        return Map.of("sku", orders.get(0).get("sku"), "quantity", quantity);
    }

    /** The batch's SKU and a restock request id, should the batch open one. */
    public Map<String, Object> first(List<Map<String, Object>> orders) {
        return orders.get(0);
    }

    public void allSold(List<Map<String, Object>> orders) {
        for (Map<String, Object> order : orders) {
            order.put(SOLD, true);
        }
    }

    /** After an order's own conditional UPDATE, when the batch did not fit as a whole. */
    public void soldIf(Map<String, Object> order, int updateCount) {
        order.put(SOLD, updateCount == 1);
    }

    /**
     * Gives every order the stock it would have seen had the batch been sold one order after
     * another in arrival order: the stock after a sold order, or what was there for a refused
     * one. Counting back from the stock after the batch, each sold order adds its quantity.
     * Returns the sold orders, whose rows are to be written.
     */
    public List<Map<String, Object>> settle(List<Map<String, Object>> orders, int stockAfterBatch) {
        long stock = stockAfterBatch;
        List<Map<String, Object>> sold = new ArrayList<>(orders.size());
        for (int i = orders.size() - 1; i >= 0; i--) {
            Map<String, Object> order = orders.get(i);
            if (Boolean.TRUE.equals(order.get(SOLD))) {
                order.put("remainingStock", stock);
                stock += ((Number) order.get("quantity")).intValue();
                sold.add(0, order);
            } else {
                order.put("available", stock);
            }
        }
        return sold;
    }

    public boolean anyRefused(List<Map<String, Object>> orders) {
        for (Map<String, Object> order : orders) {
            if (!Boolean.TRUE.equals(order.get(SOLD))) {
                return true;
            }
        }
        return false;
    }

    /** The queue of one SKU; while it is not empty, exactly one of its requests leads. */
    private static final class Lane {
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private boolean led;

        /** Queues the order; true when its request is to lead the next batch. */
        synchronized boolean join(Pending pending) {
            queue.add(pending);
            if (led) {
                return false;
            }
            led = true;
            return true;
        }

        synchronized List<Pending> take(int max) {
            List<Pending> batch = new ArrayList<>(Math.min(max, queue.size()));
            while (batch.size() < max && !queue.isEmpty()) {
                batch.add(queue.poll());
            }
            return batch;
        }

        /** The request to lead the next batch, or null when nobody is waiting. */
        synchronized Pending handOver() {
            Pending next = queue.peek();
            led = next != null;
            return next;
        }
    }

    /** One waiting order: either it is handed the lead, or its batch finishes it. */
    private static final class Pending {
        final Map<String, Object> order;
        private final CountDownLatch signal = new CountDownLatch(1);
        private volatile boolean finished;
        boolean sold;
        boolean race;
        Exception failure;

        Pending(Map<String, Object> order) {
            this.order = order;
        }

        void promote() {
            signal.countDown();
        }

        void finish() {
            finished = true;
            signal.countDown();
        }

        boolean done() {
            return finished;
        }

        /**
         * Waits without giving up on interruption: the order may already be in a batch that is
         * committing, and its request must get that batch's answer.
         */
        void awaitTurnOrOutcome() {
            boolean interrupted = false;
            while (true) {
                try {
                    signal.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
