package config;

import beans.AdminAuthorization;
import beans.ApiDocs;
import beans.JsonRequests;
import beans.JsonResponses;
import beans.OrderBatches;
import beans.OrderRequests;
import beans.ProductRequests;
import beans.RestockMessages;
import beans.RestockRequests;
import beans.UnmatchedRequests;
import beans.Views;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxInternal;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/** The small named beans the HTTP routes call: request readers, answers, admin check, the API document. */
public class ApiConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Properties properties = new Properties(context);
        ObjectMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
        JsonRequests jsonRequests = new JsonRequests(properties.getInt("api.max-body-bytes"));

        JsonResponses jsonResponses = new JsonResponses(mapper);
        AdminAuthorization adminAuthorization = new AdminAuthorization(properties.get("security.admin-token"));

        Registry registry = context.getRegistry();
        // platform-http runs each request's route on a Vert.x worker thread; an order waiting
        // for its batch holds one, so this bounds how many orders one batch can take.
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(properties.getInt("http.worker-threads")));
        EdgeAnswers edgeAnswers = new EdgeAnswers(jsonResponses);
        registry.bind("vertx", new HttpServerVertx((VertxInternal) vertx, context,
                new SlowClientLimits(vertx, properties.getInt("http.header-read-timeout-ms"),
                        properties.getInt("http.body-read-timeout-ms"), properties.getInt("http.idle-timeout-ms"), edgeAnswers),
                new HttpEdge(edgeAnswers, adminAuthorization,
                        context.getPropertiesComponent().resolveProperty("camel.management.health-path").orElse("/observe/health"),
                        properties.getInt("camel.server.max-body-size"))));
        // Camel closes only a Vert.x it made itself; this one is closed once the context, and with
        // it the HTTP server on this Vert.x, has stopped.
        context.getManagementStrategy().addEventNotifier(new VertxCloser(vertx));
        registry.bind("objectMapper", mapper);
        registry.bind("views", new Views());
        registry.bind("restockMessages", new RestockMessages(mapper));
        registry.bind("jsonResponses", jsonResponses);
        registry.bind("orderRequests", new OrderRequests(jsonRequests,
                properties.getInt("sales.max-quantity"), properties.get("sales.default-sku")));
        registry.bind("orderBatches", new OrderBatches(context.createProducerTemplate(), "direct:sell",
                properties.getInt("sales.max-batch")));
        registry.bind("productRequests", new ProductRequests(jsonRequests));
        registry.bind("restockRequests", new RestockRequests());
        registry.bind("unmatchedRequests", new UnmatchedRequests(context));
        registry.bind("apiDocs", new ApiDocs(mapper));
        registry.bind("adminAuthorization", adminAuthorization);
    }

    private static final class VertxCloser extends EventNotifierSupport {

        private final Vertx vertx;

        VertxCloser(Vertx vertx) {
            this.vertx = vertx;
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.CamelContextStoppedEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
