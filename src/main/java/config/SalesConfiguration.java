package config;

import java.util.List;

import api.ApiContract;
import api.JsonRequests;
import api.ListPages;
import catalogue.ProductRequests;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.PropertyInject;
import routes.SalesRoute;
import sales.OrderBatches;
import sales.OrderRequests;

/** The catalogue and the sales flow: reading orders and products, and selling orders in batches. */
public class SalesConfiguration implements CamelConfiguration, CamelContextAware {

    private CamelContext context;

    @BindToRegistry(lazy = true)
    public OrderRequests orderRequests(@BeanInject("jsonRequests") JsonRequests json, @BeanInject("apiContract") ApiContract contract,
                                       @PropertyInject("sales.default-sku") String defaultSku) {
        return new OrderRequests(json, contract, defaultSku);
    }

    /** Sends each batch to the route SalesRoute sells it in. */
    @BindToRegistry(lazy = true)
    public OrderBatches orderBatches(@PropertyInject("sales.max-batch") int maxBatch, @PropertyInject("sales.batch-lanes") int lanes) {
        return new OrderBatches(context.createProducerTemplate(), SalesRoute.SELL_A_BATCH, maxBatch, lanes);
    }

    /** The catalogue's pages, by SKU (ProductRoute). */
    @BindToRegistry(lazy = true)
    public ListPages productPages(@BeanInject("apiContract") ApiContract contract) {
        return new ListPages(contract, "products", "/api/products", "sku", List.of());
    }

    @BindToRegistry(lazy = true)
    public ProductRequests productRequests(@BeanInject("jsonRequests") JsonRequests json, @BeanInject("apiContract") ApiContract contract) {
        return new ProductRequests(json, contract);
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }
}
