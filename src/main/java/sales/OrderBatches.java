package sales;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import operations.Outages;
import operations.TraceContext;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.springframework.dao.DuplicateKeyException;

/**
 * Group commit for orders. Every sale of a SKU updates the same row, and that row stays locked
 * from the sale's first statement to its COMMIT, so one transaction per order makes orders for a
 * popular donut queue behind each other; and on a spread of donuts, one transaction per order
 * spends most of its time on statements and commits that a batch shares. Orders arrive in a few
 * lanes, a SKU always in the same one; those that arrive while their lane's batch is in the
 * database wait for its next batch, which sells them all in one transaction, whatever their
 * products. Each order still gets its own answer, exactly what it would have got had the batch's
 * orders been sold one after another in arrival order.
 *
 * <p>No thread of its own and no timer: the first waiting request runs the next batch on its own
 * thread (the leader) and hands on to the next one waiting when it is done, so an order that
 * arrives alone is sold at once, and a crowd is served in as few transactions as it takes. The
 * lanes' batches run side by side and never share a product, so they never wait for each other's
 * locks. Camel's Aggregator cannot answer each of the aggregated requests, which is why this is
 * a bean.
 */
public final class OrderBatches {

    private final ProducerTemplate producer;
    private final String batchUri;
    private final int maxBatch;
    private final Lane[] lanes;
    private final LongAdder waiting = new LongAdder();
    private final LongAdder batches = new LongAdder();

    /**
     * @param batchUri the route that sells one {@link Batch} in one transaction
     * @param lanes    how many batches may be in the database at once
     */
    public OrderBatches(ProducerTemplate producer, String batchUri, int maxBatch, int lanes) {
        this.producer = producer;
        this.batchUri = batchUri;
        this.maxBatch = maxBatch;
        this.lanes = new Lane[lanes];
        Arrays.setAll(this.lanes, i -> new Lane());
    }

    /**
     * Sells the order in the next batch of its SKU and returns once that batch has committed or
     * rolled back: what the order came to, or the batch's failure, thrown here.
     */
    public SaleOutcome sell(@Body Order order) throws Exception {
        Pending pending = new Pending(order);
        Lane lane = lanes[Math.floorMod(order.sku().hashCode(), lanes.length)];
        waiting.increment();
        try {
            if (!lane.join(pending)) {
                pending.awaitTurnOrOutcome();
            }
        } finally {
            waiting.decrement();
        }
        if (!pending.done()) {
            lead(lane);
        }
        if (pending.failure != null) {
            throw pending.failure;
        }
        return pending.outcome;
    }

    /** Orders queued behind a batch of their product, or leading one that has not started yet. */
    public long waiting() {
        return waiting.sum();
    }

    /** Transactions that sold (or refused) a batch of orders, however many it held. */
    public long batches() {
        return batches.sum();
    }

    private void lead(Lane lane) {
        List<Pending> batch = lane.take(maxBatch);
        batches.increment();
        try {
            run(batch);
        } finally {
            for (Pending pending : batch) {
                pending.finish();
            }
            // The database did not answer this batch: the orders queued behind it, in no transaction
            // yet, get the same failure now instead of each waiting out the next batch's timeouts.
            Exception unreachable = batch.stream().map(pending -> pending.failure).filter(Outages::unreachable).findFirst().orElse(null);
            if (unreachable != null) {
                for (Pending queued : lane.takeAll()) {
                    queued.failure = unreachable;
                    queued.finish();
                }
            }
            Pending next = lane.handOver();
            if (next != null) {
                next.promote();
            }
        }
    }

    private void run(List<Pending> taken) {
        // Two requests with one Idempotency-Key in one batch: the first is sold, the other goes
        // round again afterwards and finds the first one's order, as if it had come a moment later.
        List<Pending> selling = new ArrayList<>(taken.size());
        Set<String> keys = new HashSet<>();
        for (Pending pending : taken) {
            String key = pending.order.idempotencyKey();
            if (key == null || keys.add(key)) {
                selling.add(pending);
            } else {
                pending.outcome = new SaleOutcome.KeyTakenMeanwhile(pending.order);
            }
        }
        Batch batch = new Batch(selling.stream().map(pending -> pending.order).toList());
        Exchange result;
        try {
            // With tracing on, the batch's spans join the trace of its first order.
            String traceparent = selling.get(0).order.traceparent();
            result = producer.send(batchUri, ExchangePattern.InOut, e -> {
                e.getMessage().setBody(batch);
                e.getMessage().setHeader(TraceContext.TRACEPARENT, traceparent);
            });
        } catch (RuntimeException e) {
            selling.forEach(p -> p.failure = e);
            return;
        }
        // What failed first: a rollback that then failed too (on the connection the failure broke) is thrown instead.
        Exception failure = result.getProperty(Exchange.EXCEPTION_CAUGHT, result.getException(), Exception.class);
        if (failure == null && result.isRollbackOnly()) {
            failure = new IllegalStateException("The batch of " + selling.size() + " orders was rolled back");
        }
        if (failure instanceof DuplicateKeyException) {
            // An Idempotency-Key that was not free after all (sold by another batch or instance
            // since it was looked up): nothing was committed, so every order goes round again.
            selling.forEach(p -> p.outcome = new SaleOutcome.KeyTakenMeanwhile(p.order));
        } else if (failure != null) {
            Exception cause = failure;
            selling.forEach(p -> p.failure = cause);
        } else {
            for (int i = 0; i < selling.size(); i++) {
                selling.get(i).outcome = batch.outcome(i);
            }
        }
    }

    /** The queue of some SKUs' orders; while it is not empty, exactly one of its requests leads. */
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

        /** Every order queued behind the batch that is finishing. */
        synchronized List<Pending> takeAll() {
            List<Pending> all = new ArrayList<>(queue);
            queue.clear();
            return all;
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
        final Order order;
        private final CountDownLatch signal = new CountDownLatch(1);
        private volatile boolean finished;
        SaleOutcome outcome;
        Exception failure;

        Pending(Order order) {
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
