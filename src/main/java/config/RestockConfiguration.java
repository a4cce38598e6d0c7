package config;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
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
                                         @PropertyInject("security.callback-secret") String secret,
                                         @PropertyInject("security.callback-secret-previous") String previous) {
        return new CallbackSigner(publicBaseUrl(publicBaseUrl), secret, previous.trim());
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

    @BindToRegistry(lazy = true)
    public Failures failures(@PropertyInject("factory.timeout-ms") long factoryTimeoutMs) {
        return new Failures(factoryTimeoutMs);
    }

    @BindToRegistry(lazy = true)
    public StockQueueBacklog stockQueueBacklog(@BeanInject("sqsClient") SqsClient sqs, @PropertyInject("aws.stock-queue") String queue) {
        return new StockQueueBacklog(sqs, AwsConfiguration.nameOf(queue));
    }
}
