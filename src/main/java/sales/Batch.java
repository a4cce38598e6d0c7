package sales;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import api.Rows;
import operations.TraceContext;

/**
 * The orders that SalesRoute sells in one transaction, in arrival order, of one product or of
 * several. The route locks their products' rows, and this sells each product's orders in turn
 * from the stock it found: every order gets what it would have seen had the orders been sold
 * one after another in arrival order. The route then takes each product's sold total with one
 * conditional UPDATE and writes the sold orders' rows.
 */
public final class Batch {

    /**
     * A product's one restock request, should this batch open it, and the order that opened it:
     * the first one refused, or else the last one sold (it left the stock at the reorder point).
     * The request carries on that order's trace context. The stock left is the batch's, for the log.
     */
    public record RestockOpening(String requestId, String sku, String orderId, String traceparent, long stockLeft) {

        /** That order's trace id, for the log. */
        public String traceId() {
            return TraceContext.traceIdOf(traceparent);
        }
    }

    /** One product of the batch, as its locked row was found and as the batch leaves it. */
    private static final class Product {
        long stock;
        long reorderPoint;
        int taken;
        Order firstRefused;
        Order lastSold;
    }

    private final List<Order> orders;
    private final boolean[] sold;
    private final long[] stockSeen;
    /** By SKU, in SKU order: the order the rows are locked and updated in. Null for an unknown SKU. */
    private final Map<String, Product> products = new TreeMap<>();

    Batch(List<Order> orders) {
        this.orders = List.copyOf(orders);
        this.sold = new boolean[orders.size()];
        this.stockSeen = new long[orders.size()];
        for (Order order : this.orders) {
            products.put(order.sku(), null);
        }
    }

    /** The products to lock, in SKU order: two batches that share products then never wait for each other in a circle. */
    public List<String> skus() {
        return List.copyOf(products.keySet());
    }

    /**
     * Sells each product's orders in arrival order from the stock on its locked row
     * (sql/orders/lock-stock.sql); a SKU with no row is an unknown product and sells nothing.
     * Returns what each product's sold orders took, in SKU order: the named parameters of the
     * conditional UPDATEs (sql/orders/take-stock.sql).
     */
    public List<Map<String, Object>> sellFrom(List<Map<String, Object>> lockedRows) {
        for (Map<String, Object> row : lockedRows) {
            Product product = new Product();
            product.stock = Rows.longOf(row.get("stock"));
            product.reorderPoint = Rows.longOf(row.get("reorderPoint"));
            products.put((String) row.get("sku"), product);
        }
        for (int i = 0; i < orders.size(); i++) {
            Order order = orders.get(i);
            Product product = products.get(order.sku());
            if (product == null) {
                continue;
            }
            if (product.stock >= order.quantity()) {
                product.stock -= order.quantity();
                product.taken += order.quantity();
                product.lastSold = order;
                sold[i] = true;
            } else if (product.firstRefused == null) {
                product.firstRefused = order;
            }
            stockSeen[i] = product.stock;
        }
        List<Map<String, Object>> takes = new ArrayList<>();
        products.forEach((sku, product) -> {
            if (product != null && product.taken > 0) {
                takes.add(Map.of("sku", sku, "quantity", product.taken));
            }
        });
        return takes;
    }

    /** The sold orders' rows, for the SQL that writes them (named parameters). */
    public List<Map<String, Object>> soldRows() {
        List<Map<String, Object>> rows = new ArrayList<>(orders.size());
        for (int i = 0; i < orders.size(); i++) {
            if (sold[i]) {
                Order order = orders.get(i);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("orderId", order.orderId());
                row.put("idempotencyKey", order.idempotencyKey());
                row.put("sku", order.sku());
                row.put("quantity", order.quantity());
                row.put("remainingStock", stockSeen[i]);
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * The products whose one restock request (docs/design.md, rule 4) this batch opens unless one is open
     * already: an order of it was refused, or the stock it leaves is at or below its reorder point.
     */
    public List<String> restockCandidates() {
        List<String> skus = new ArrayList<>();
        products.forEach((sku, product) -> {
            if (product != null && (product.firstRefused != null || product.stock <= product.reorderPoint)) {
                skus.add(sku);
            }
        });
        return skus;
    }

    /** The restock requests to open: the candidates without an open request (sql/orders/open-requests.sql). */
    public List<RestockOpening> restockOpenings(List<Map<String, Object>> openRequests) {
        Set<String> open = new HashSet<>();
        for (Map<String, Object> row : openRequests) {
            open.add((String) row.get("sku"));
        }
        List<RestockOpening> openings = new ArrayList<>();
        for (String sku : restockCandidates()) {
            if (!open.contains(sku)) {
                Product product = products.get(sku);
                Order opener = product.firstRefused != null ? product.firstRefused : product.lastSold;
                openings.add(new RestockOpening(UUID.randomUUID().toString(), sku, opener.orderId(), opener.traceparent(), product.stock));
            }
        }
        return openings;
    }

    /** What the order at this index came to, once the batch has committed. */
    SaleOutcome outcome(int index) {
        Order order = orders.get(index);
        if (products.get(order.sku()) == null) {
            return new SaleOutcome.UnknownProduct(order.sku());
        }
        return sold[index] ? new SaleOutcome.Sold(order.orderId(), order.sku(), order.quantity(), stockSeen[index])
                : new SaleOutcome.OutOfStock(order.sku(), stockSeen[index]);
    }
}
