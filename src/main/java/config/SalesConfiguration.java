package config;

import java.util.List;

import api.ListPages;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import routes.SalesRoute;
import sales.OrderBatches;
import sales.OrderRequests;

/** The catalogue and the sales flow: reading orders and products, and selling orders in batches. */
public class SalesConfiguration implements CamelConfiguration {


    @BindToRegistry(lazy = true)
    public OrderRequests orderRequests(@PropertyInject("sales.default-sku") String defaultSku) {
        return new OrderRequests(defaultSku);
    }

    /** Sends each batch to the route SalesRoute sells it in. */
    @BindToRegistry(lazy = true)
    public OrderBatches orderBatches(@PropertyInject("sales.max-batch") int maxBatch, @PropertyInject("sales.batch-lanes") int lanes,
                                     CamelContext context) {
        return new OrderBatches(context.createProducerTemplate(), SalesRoute.SELL_A_BATCH, maxBatch, lanes);
    }

    /** The catalogue's pages, by SKU (ProductRoute). */
    @BindToRegistry(lazy = true)
    public ListPages productPages() {
        return new ListPages("products", "/api/products", "sku", List.of());
    }

    /** The restock requests' pages, newest first, keeping the status and product filters (RestockRequestsRoute). */
    @BindToRegistry(lazy = true)
    public ListPages restockRequestPages() {
        return new ListPages("restock-requests", "/api/restock-requests", "id", List.of("status", "sku"));
    }
}
