package config;

import api.AdminAuthorization;
import api.ApiDocument;
import api.RequestContract;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import http.ApiPortHttpEngine;
import http.HttpEdge;
import http.StartupSummaryNotifiers;
import http.UnservedPaths;
import operations.BusinessMetrics;
import operations.ServingState;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import routes.ApiContractRoute;

/** What every HTTP route shares: JSON in and out, the contract requests are held to, the admin check, the edge. */
public class ApiConfiguration implements CamelConfiguration {


    @PropertyInject("app.port")
    private int apiPort;
    @PropertyInject("app.management-port")
    private int managementPort;

    /** The REST binding's (Camel's Jackson finds the one ObjectMapper there is) and every bean's that writes JSON. */
    @BindToRegistry(lazy = true)
    public ObjectMapper objectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // The document's schemas decide what a body holds; a field they do not name is ignored.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    @BindToRegistry(lazy = true)
    public AdminAuthorization adminAuthorization(@PropertyInject("security.admin-token") String token,
                                                 @PropertyInject("security.admin-token-previous") String previous) {
        return new AdminAuthorization(token, previous.trim());
    }

    @BindToRegistry(lazy = true)
    public ApiDocument apiDocument(@BeanInject("objectMapper") ObjectMapper mapper, @PropertyInject("sales.max-quantity") int maxOrderQuantity) {
        return new ApiDocument(mapper, maxOrderQuantity);
    }

    /** Where routes/ApiContractRoute reads the document from ({@code ref:openapi.json}). */
    @BindToRegistry(value = "openapi.json", lazy = true)
    public String openApiJson(@BeanInject("apiDocument") ApiDocument document) {
        return document.text();
    }

    /** Camel's REST binding asks it about every request (camel.rest.client-request-validation). */
    @BindToRegistry(lazy = true)
    public RequestContract requestContract(@BeanInject("objectMapper") ObjectMapper mapper,
                                           @BeanInject("adminAuthorization") AdminAuthorization admin,
                                           @PropertyInject("api.max-body-bytes") int maxBodyBytes,
                                           @BeanInject("apiDocument") ApiDocument document,
                                           @BeanInject("businessMetrics") BusinessMetrics metrics) {
        return new RequestContract(mapper, admin, maxBodyBytes, document, metrics::requestRefused);
    }

    /** The engine platform-http finds by this name: the routes go on the API's port (see {@link ApiPortHttpEngine}). */
    @BindToRegistry(value = "platform-http-engine", lazy = true)
    public PlatformHttpEngine platformHttpEngine(CamelContext context) {
        ApiPortHttpEngine engine = new ApiPortHttpEngine(apiPort);
        engine.setCamelContext(context);
        return engine;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        ObjectMapper mapper = context.getRegistry().lookupByNameAndType("objectMapper", ObjectMapper.class);
        HttpEdge edge = new HttpEdge(mapper, context.getRegistry().lookupByNameAndType("adminAuthorization", AdminAuthorization.class),
                context.getRegistry().lookupByNameAndType("servingState", ServingState.class),
                context.resolvePropertyPlaceholders("{{camel.management.health-path:/observe/health}}"),
                context.resolvePropertyPlaceholders("{{camel.management.metrics-path:/observe/metrics}}"),
                Long.parseLong(context.resolvePropertyPlaceholders("{{camel.server.max-body-size}}")));
        context.addRoutePolicyFactory(new UnservedPaths(ApiContractRoute.ROUTE_ID, mapper));
        context.addStartupListener(new EdgeInstaller(edge));
        context.addStartupListener(new StartupSummaryNotifiers());
    }

    /**
     * Installs the edge as soon as Camel's HTTP servers are made, as the context starts and before
     * the supervising route controller starts the routes, so that no request meets Vert.x's own 404
     * page meanwhile (it is answered 503 until ServingState, called last, says the app serves). Once:
     * Camel tells its startup listeners again each time the controller has started a route.
     */
    private final class EdgeInstaller implements StartupListener, Ordered {

        private final HttpEdge edge;

        EdgeInstaller(HttpEdge edge) {
            this.edge = edge;
        }

        private boolean installed;

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            if (!installed) {
                installed = edge.install(context, apiPort, managementPort);
            }
        }

        @Override
        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
            if (!installed && !edge.install(context, apiPort, managementPort)) {
                throw new IllegalStateException("Camel made no HTTP server on port " + apiPort + " or " + managementPort);
            }
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST - 1;
        }
    }
}
