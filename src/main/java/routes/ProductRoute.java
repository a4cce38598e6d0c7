package routes;

import api.ApiException;
import catalogue.Product;
import config.DatabaseConfiguration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.dao.DuplicateKeyException;

import static org.apache.camel.support.builder.ExpressionBuilder.bodyExpression;

/** The catalogue: anyone may read it, admins create and change products. */
public class ProductRoute extends RouteBuilder {

    @Override
    public void configure() {
        // A page at a time, by SKU (api/ListPages).
        from("direct:listProducts").routeId("list-products").routeConfigurationId(ApiErrorHandling.ID)
                .setHeader("rows", method("productPages", "rowsToRead"))
                .setHeader("after", method("productPages", "after"))
                .choice()
                    .when(header("after").isNull())
                        .to("sql:classpath:sql/products/list.sql")
                    .otherwise()
                        .to("sql:classpath:sql/products/list-after.sql")
                .end()
                .bean("productPages", "cut")
                // Typed, where method(Product.class, "fromRows") would find the method by reflection on every read.
                .setBody(bodyExpression(List.class, Product::fromRows));

        from("direct:getProduct").routeId("get-product").routeConfigurationId(ApiErrorHandling.ID)
                .to("sql:classpath:sql/products/find.sql?outputType=SelectOne")
                .filter(body().isNull())
                    .throwException(ApiException.unknownSku())
                .end()
                .setBody(bodyExpression(Map.class, Product::fromRow));

        // The body is a catalogue.ProductInput.
        from("direct:putProduct").routeId("put-product").routeConfigurationId(ApiErrorHandling.ID)
                .to("direct:saveProduct")
                .to("sql:classpath:sql/products/find.sql?outputType=SelectOne&outputHeader=saved")
                .setBody(method(Product.class, "fromRow(${header.saved})"))
                .filter(header("previousStock").isNull())
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201));

        // The stock movement and the new stock commit together, computed against the locked row.
        // Read committed: the locking read of a SKU not created yet locks no gap, so admins creating
        // neighbouring products do not deadlock (DatabaseConfiguration.READ_COMMITTED). Two creating
        // the same SKU at once both find no row; the second insert meets the first one's key.
        from("direct:saveProduct").routeId("save-product").routeConfigurationId(ApiErrorHandling.TRANSACTED)
                .onException(DuplicateKeyException.class)
                    .handled(true)
                    .process(ApiErrorHandling.tryAgainShortly("Another request was creating this product at the same moment;"
                            + " try again shortly."))
                    .markRollbackOnly()
                .end()
                .transacted(DatabaseConfiguration.READ_COMMITTED)
                .to("sql:classpath:sql/products/lock-stock.sql?outputType=SelectOne&outputHeader=previousStock")
                .choice()
                    .when(header("previousStock").isNull())
                        .to("sql:classpath:sql/products/insert.sql")
                        .to("sql:classpath:sql/products/record-initial-stock.sql")
                    .otherwise()
                        .to("sql:classpath:sql/products/record-adjustment.sql")
                        .to("sql:classpath:sql/products/update.sql");
    }
}
