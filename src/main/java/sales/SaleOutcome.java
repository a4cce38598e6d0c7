package sales;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** What selling one order came to. The answers to the customer are the HTTP contract's shapes. */
public sealed interface SaleOutcome {

    /** 201: the order took stock; what is left after it. */
    record Sold(String orderId, String sku, int quantity, long remainingStock) implements SaleOutcome {
    }

    /** 409: not enough stock for this order; the product's restock request is open. */
    @JsonPropertyOrder({"error", "message", "sku", "available", "restockRequested"})
    record OutOfStock(String sku, long available) implements SaleOutcome {

        @JsonProperty
        public String error() {
            return "OUT_OF_STOCK";
        }

        @JsonProperty
        public String message() {
            return "Not enough stock of " + sku + "; a restock has been requested from the factory.";
        }

        @JsonProperty
        public boolean restockRequested() {
            return true;
        }
    }

    /** 404: no product has this SKU; nothing was sold or written. */
    record UnknownProduct(String sku) implements SaleOutcome {
    }

    /** Another order with the same Idempotency-Key was sold first: this one goes round again and is answered with it. */
    record KeyTakenMeanwhile(Order order) implements SaleOutcome {
    }
}
