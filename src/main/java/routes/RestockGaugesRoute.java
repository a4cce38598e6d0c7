package routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * Keeps the donut_restock_requests gauges current: one query every METRICS_REFRESH_MS, however
 * often /observe/metrics is scraped. A poll that returns no row still runs, so a status whose
 * last request moved on drops to 0.
 */
public class RestockGaugesRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("sql:classpath:sql/restock/count-by-status.sql?delay={{metrics.restock-refresh-ms}}"
                + "&useIterator=false&routeEmptyResultSet=true")
                .routeId("restock-gauges")
                .bean("businessMetrics", "restockRequests");
    }
}
