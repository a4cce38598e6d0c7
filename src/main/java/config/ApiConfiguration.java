package config;

import api.AdminAuthorization;
import api.ApiContract;
import api.JsonRequests;
import api.JsonResponses;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import http.ApiPortHttpEngine;
import http.HttpServerVertx;
import io.vertx.core.Vertx;
import operations.ServingState;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;

/** What every HTTP route shares: JSON in and out, the admin check, the API document, the server and its edge rules. */
public class ApiConfiguration implements CamelConfiguration, CamelContextAware {

    private CamelContext context;

    @BindToRegistry(lazy = true)
    public ObjectMapper objectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    @BindToRegistry(lazy = true)
    public JsonRequests jsonRequests(@PropertyInject("api.max-body-bytes") int maxBodyBytes) {
        return new JsonRequests(maxBodyBytes);
    }

    @BindToRegistry(lazy = true)
    public JsonResponses jsonResponses(@BeanInject("objectMapper") ObjectMapper mapper) {
        return new JsonResponses(mapper);
    }

    @BindToRegistry(lazy = true)
    public AdminAuthorization adminAuthorization(@PropertyInject("security.admin-token") String token) {
        return new AdminAuthorization(token);
    }

    @BindToRegistry(lazy = true)
    public ApiContract apiContract(@BeanInject("objectMapper") ObjectMapper mapper,
                                   @PropertyInject("sales.max-quantity") int maxOrderQuantity) {
        return new ApiContract(mapper, maxOrderQuantity);
    }

    /** What routes/ApiContractRoute reads the contract's operations from (ApiContract.ROUTING_VIEW). */
    @BindToRegistry(value = "apiContractRouting.json", lazy = true)
    public String apiContractRouting(@BeanInject("apiContract") ApiContract contract) {
        return contract.routingView();
    }

    /** The Vert.x platform-http serves on: see {@link HttpServerVertx}. */
    @BindToRegistry(lazy = true)
    public Vertx vertx(@PropertyInject("http.worker-threads") int workerThreads,
                       @PropertyInject("http.header-read-timeout-ms") long headerReadTimeoutMs,
                       @PropertyInject("http.body-read-timeout-ms") long bodyReadTimeoutMs,
                       @PropertyInject("http.idle-timeout-ms") long idleTimeoutMs,
                       @PropertyInject(value = "camel.management.health-path", defaultValue = "/observe/health") String healthPath,
                       @PropertyInject(value = "camel.management.metrics-path", defaultValue = "/observe/metrics") String metricsPath,
                       @PropertyInject("camel.server.max-body-size") long maxServerBodyBytes,
                       @PropertyInject("app.port") int apiPort,
                       @PropertyInject("app.management-port") int managementPort,
                       @BeanInject("jsonResponses") JsonResponses answers,
                       @BeanInject("adminAuthorization") AdminAuthorization admin,
                       @BeanInject("servingState") ServingState serving) {
        return HttpServerVertx.create(context, new HttpServerVertx.Settings(workerThreads, headerReadTimeoutMs, bodyReadTimeoutMs,
                idleTimeoutMs, healthPath, metricsPath, maxServerBodyBytes, apiPort, managementPort), answers, admin, serving);
    }

    /** The engine platform-http finds by this name: the routes go on the API's port (see {@link ApiPortHttpEngine}). */
    @BindToRegistry(value = "platform-http-engine", lazy = true)
    public PlatformHttpEngine platformHttpEngine(@PropertyInject("app.port") int apiPort) {
        ApiPortHttpEngine engine = new ApiPortHttpEngine(apiPort);
        engine.setCamelContext(context);
        return engine;
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
