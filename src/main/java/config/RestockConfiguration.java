package config;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import restock.CallbackSigner;
import restock.FactoryOrders;
import restock.Failures;
import restock.RestockMessages;
import restock.RestockNotifications;
import restock.StockQueueBacklog;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The restock pipeline: its messages on SNS/SQS, the factory's payload and signed callback, failures in words. */
public class RestockConfiguration implements CamelConfiguration {

    /** PUBLIC_BASE_URL as the callback and the ops email use it: without a trailing slash. */
    static String publicBaseUrl(String configured) {
        return configured.replaceAll("/+$", "");
    }

    @BindToRegistry(lazy = true)
    public CallbackSigner callbackSigner(@PropertyInject("app.public-base-url") String publicBaseUrl,
                                         @PropertyInject("security.callback-secret") String secret) {
        return new CallbackSigner(publicBaseUrl(publicBaseUrl), secret);
    }

    @BindToRegistry(lazy = true)
    public RestockMessages restockMessages(@BeanInject("objectMapper") ObjectMapper mapper) {
        return new RestockMessages(mapper);
    }

    @BindToRegistry(lazy = true)
    public RestockNotifications restockNotifications(@BeanInject("objectMapper") ObjectMapper mapper) {
        return new RestockNotifications(mapper);
    }

    @BindToRegistry(lazy = true)
    public FactoryOrders factoryOrders(@BeanInject("objectMapper") ObjectMapper mapper, @BeanInject("callbackSigner") CallbackSigner signer,
                                       @PropertyInject("factory.requester") String requester) {
        return new FactoryOrders(mapper, signer, requester);
    }

    /**
     * FACTORY_TIMEOUT_MS bounds every HTTP call to the factory (and the simulator's callbacks).
     * Applied when the http component is made, by the first route that calls out, which starts
     * with the restock pipeline (RestockPipelineConfiguration), not on the way to the first request.
     */
    @BindToRegistry(lazy = true)
    public ComponentCustomizer factoryCallTimeouts(@PropertyInject("factory.timeout-ms") long timeoutMs) {
        return ComponentCustomizer.forType(HttpComponent.class, http -> {
            http.setConnectTimeout(timeoutMs);
            http.setResponseTimeout(timeoutMs);
            http.setSoTimeout(timeoutMs);
        });
    }

    @BindToRegistry(lazy = true)
    public Failures failures(@PropertyInject("factory.timeout-ms") long factoryTimeoutMs) {
        return new Failures(factoryTimeoutMs);
    }

    @BindToRegistry(lazy = true)
    public StockQueueBacklog stockQueueBacklog(@BeanInject("sqsClient") SqsClient sqs, @PropertyInject("aws.stock-queue") String queue) {
        return new StockQueueBacklog(sqs, queue);
    }
}
