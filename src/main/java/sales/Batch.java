package sales;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import operations.TraceContext;

/**
 * The orders of one product that SalesRoute sells in one transaction, in arrival order. The route
 * takes their stock (all at once, or order by order when it does not fit), then settles what
 * each order would have seen had they been sold one after another.
 */
public final class Batch {

    /** The parameters of one conditional UPDATE of the product's stock. */
    public record StockTake(String sku, int quantity) {
    }

    /**
     * The product's one restock request, should this batch open it, and the order that opened it:
     * the first one refused, or else the last one sold (it left the stock at the reorder point).
     * The request carries on that order's trace context.
     */
    public record RestockOpening(String requestId, String sku, String orderId, String traceparent) {

        /** That order's trace id, for the log. */
        public String traceId() {
            return TraceContext.traceIdOf(traceparent);
        }
    }

    private final List<Order> orders;
    private final boolean[] sold;
    private final long[] stockSeen;
    private boolean unknownProduct;

    Batch(List<Order> orders) {
        this.orders = List.copyOf(orders);
        this.sold = new boolean[orders.size()];
        this.stockSeen = new long[orders.size()];
    }

    public String sku() {
        return orders.get(0).sku();
    }

    /** The whole batch's stock in one conditional UPDATE. */
    public StockTake total() {
        int quantity = 0;
        for (Order order : orders) {
            quantity += order.quantity();
        }
        return new StockTake(sku(), quantity);
    }

    public void allSold() {
        java.util.Arrays.fill(sold, true);
    }

    /** One UPDATE per order, in arrival order: when the total does not fit. */
    public List<StockTake> eachOrder() {
        return orders.stream().map(order -> new StockTake(order.sku(), order.quantity())).toList();
    }

    /** After the UPDATE of the order at this index (the split's index) counted this many rows. */
    public void soldIf(int index, int updateCount) {
        sold[index] = updateCount == 1;
    }

    public void unknownProduct() {
        unknownProduct = true;
    }

    /**
     * Gives every order the stock it would have seen had the batch been sold one order after
     * another in arrival order: the stock after a sold order, or what was there for a refused
     * one. Counting back from the stock after the batch, each sold order adds its quantity.
     * Returns the rows of the sold orders, for the SQL that writes them (named parameters).
     */
    public List<Map<String, Object>> settle(long stockAfterBatch) {
        long stock = stockAfterBatch;
        List<Map<String, Object>> rows = new ArrayList<>(orders.size());
        for (int i = orders.size() - 1; i >= 0; i--) {
            stockSeen[i] = stock;
            if (sold[i]) {
                Order order = orders.get(i);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("orderId", order.orderId());
                row.put("idempotencyKey", order.idempotencyKey());
                row.put("sku", order.sku());
                row.put("quantity", order.quantity());
                row.put("remainingStock", stock);
                rows.add(0, row);
                stock += order.quantity();
            }
        }
        return rows;
    }

    public boolean anyRefused() {
        for (boolean orderSold : sold) {
            if (!orderSold) {
                return true;
            }
        }
        return false;
    }

    /**
     * One open restock request per product (README, Rules): the batch opens it when there is
     * none yet and an order was refused, or the stock is at or below the product's reorder point.
     */
    public boolean opensRestockRequest(StockState after) {
        return after.openRequestId() == null && (anyRefused() || after.stock() <= after.reorderPoint());
    }

    public RestockOpening restockOpening() {
        Order opener = orders.get(orders.size() - 1);
        for (int i = 0; i < sold.length; i++) {
            if (!sold[i]) {
                opener = orders.get(i);
                break;
            }
        }
        return new RestockOpening(UUID.randomUUID().toString(), sku(), opener.orderId(), opener.traceparent());
    }

    boolean isUnknownProduct() {
        return unknownProduct;
    }

    /** What the order at this index came to, once the batch has committed. */
    SaleOutcome outcome(int index) {
        Order order = orders.get(index);
        return sold[index] ? new SaleOutcome.Sold(order.orderId(), order.sku(), order.quantity(), stockSeen[index])
                : new SaleOutcome.OutOfStock(order.sku(), stockSeen[index]);
    }
}
