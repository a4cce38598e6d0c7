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
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

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

        Registry registry = context.getRegistry();
        // platform-http runs each request's route on a Vert.x worker thread; an order waiting
        // for its batch holds one, so this bounds how many orders one batch can take.
        registry.bind("vertxOptions", new VertxOptions().setWorkerPoolSize(properties.getInt("http.worker-threads")));
        registry.bind("objectMapper", mapper);
        registry.bind("views", new Views());
        registry.bind("restockMessages", new RestockMessages(mapper));
        registry.bind("jsonResponses", new JsonResponses(mapper));
        registry.bind("orderRequests", new OrderRequests(jsonRequests,
                properties.getInt("sales.max-quantity"), properties.get("sales.default-sku")));
        registry.bind("orderBatches", new OrderBatches(context.createProducerTemplate(), "direct:sell",
                properties.getInt("sales.max-batch")));
        registry.bind("productRequests", new ProductRequests(jsonRequests));
        registry.bind("restockRequests", new RestockRequests());
        registry.bind("unmatchedRequests", new UnmatchedRequests(context));
        registry.bind("apiDocs", new ApiDocs(mapper));
        registry.bind("adminAuthorization", new AdminAuthorization(properties.get("security.admin-token")));
    }
}
