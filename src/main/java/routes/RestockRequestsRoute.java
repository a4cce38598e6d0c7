package routes;

import org.apache.camel.builder.RouteBuilder;

/** The operator's view of the restock pipeline, newest request first. */
public class RestockRequestsRoute extends RouteBuilder {

    @Override
    public void configure() {
        rest("/api/restock-requests")
                .get().to("direct:listRestockRequests");

        from("direct:listRestockRequests").routeId("list-restock-requests").routeConfigurationId(ApiErrorHandling.ID)
                .bean("adminAuthorization", "check")
                .setHeader("status", method("restockRequests", "statusFilter"))
                .choice()
                    .when(header("status").isNull())
                        .to("sql:classpath:sql/restock/list.sql")
                    .otherwise()
                        .to("sql:classpath:sql/restock/list-by-status.sql")
                .end()
                .bean("views", "restockRequests")
                .bean("jsonResponses", "ok");
    }
}
