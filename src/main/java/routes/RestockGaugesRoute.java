package routes;

import operations.Outages;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.SqlConstants;

/**
 * Keeps the donut_restock_requests gauges current: one query every METRICS_REFRESH_MS, however
 * often /observe/metrics is scraped. The counts are the database's, the same for every replica,
 * so only the replica holding the gauges' lease reports them and the others report 0: a sum over
 * instances then counts each request once (docs/operations.md, "Metrics"). A status whose last request moved
 * on drops to 0.
 */
public class RestockGaugesRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:restock-gauges?period={{metrics.restock-refresh-ms}}")
                .routeId("restock-gauges")
                .onException(Exception.class).onWhen(method(Outages.class, "unreachable(${exception})")).handled(true)
                    // An outage's (operations.Outages); the gauges keep their last counts until the next run.
                .end()
                .setVariable("replica", simple("${bean:replicaIdentity?method=id}"))
                .to("sql:classpath:sql/replicas/take-gauges-lease.sql")
                .choice()
                    .when(header(SqlConstants.SQL_UPDATE_COUNT).isEqualTo(1))
                        .to("sql:classpath:sql/restock/count-by-status.sql?outputType=SelectList")
                        .bean("businessMetrics", "restockRequests")
                    .otherwise()
                        .bean("businessMetrics", "restockRequestsCountedElsewhere");
    }
}
