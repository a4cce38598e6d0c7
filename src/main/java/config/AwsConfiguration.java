package config;

import java.net.URI;
import java.time.Duration;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One SNS and one SQS client for every route, so real AWS, LocalStack, Floci and fauxqs differ
 * only in endpoint, region and credentials. Building them takes a noticeable share of a start, and
 * only the restock pipeline uses them, so they are made on first use: by the pipeline's start
 * (RestockPipelineConfiguration), once the HTTP routes serve, which also provisions the stack
 * there when AWS_PROVISION asks for it.
 */
public class AwsConfiguration implements CamelConfiguration, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(AwsConfiguration.class);

    private CamelContext context;
    private AwsCredentialsProvider credentials;

    @PropertyInject("aws.region")
    private String region;
    @PropertyInject("aws.endpoint-url")
    private String endpointUrl;
    @PropertyInject("aws.api-call-timeout-ms")
    private long apiCallTimeoutMs;

    @BindToRegistry(lazy = true)
    public SnsClient snsClient() {
        SnsClientBuilder sns = SnsClient.builder().region(Region.of(region)).credentialsProvider(credentials())
                .overrideConfiguration(timeouts()).httpClientBuilder(ApacheHttpClient.builder());
        if (!endpoint().isEmpty()) {
            sns.endpointOverride(URI.create(endpoint()));
        }
        return closedWithTheContext(sns.build());
    }

    @BindToRegistry(lazy = true)
    public SqsClient sqsClient() {
        SqsClientBuilder sqs = SqsClient.builder().region(Region.of(region)).credentialsProvider(credentials())
                .overrideConfiguration(timeouts()).httpClientBuilder(ApacheHttpClient.builder());
        if (!endpoint().isEmpty()) {
            sqs.endpointOverride(URI.create(endpoint()));
        }
        return closedWithTheContext(sqs.build());
    }

    private String endpoint() {
        return endpointUrl.trim();
    }

    private ClientOverrideConfiguration timeouts() {
        return ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofMillis(apiCallTimeoutMs)).build();
    }

    private <T extends SdkAutoCloseable> T closedWithTheContext(T client) {
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    client.close();
                }
            }, true, true);
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("Cannot register the AWS client to be closed at stop", e);
        }
        return client;
    }

    /** The same for both clients, and said once. */
    private synchronized AwsCredentialsProvider credentials() {
        if (credentials == null) {
            if (!endpoint().isEmpty() && System.getenv("AWS_ACCESS_KEY_ID") == null) {
                LOG.info("Using placeholder credentials for the AWS emulator at {}", endpoint());
                credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
            } else {
                credentials = DefaultCredentialsProvider.builder().build();
            }
        }
        return credentials;
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
