package config;

import java.net.URI;
import java.time.Duration;

import operations.AwsCallOutcomes;
import operations.Outages;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
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
 * only in endpoint, region and credentials, each call bounded by AWS_API_CALL_TIMEOUT_MS. With
 * AWS_PROVISION (an emulator) the topic and queues are made before any route starts; on AWS the
 * stack owns them (deploy/cloudformation.yaml).
 */
public class AwsConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AwsConfiguration.class);

    private AwsCredentialsProvider credentials;

    @PropertyInject("aws.region")
    private String region;
    @PropertyInject("aws.endpoint-url")
    private String endpointUrl;
    @PropertyInject("aws.api-call-timeout-ms")
    private long apiCallTimeoutMs;
    @PropertyInject("aws.provision")
    private boolean provision;
    @PropertyInject("aws.stock-topic")
    private String topic;
    @PropertyInject("aws.stock-queue")
    private String queue;
    @PropertyInject("aws.stock-dlq")
    private String dlq;
    @PropertyInject("aws.queue-retention-s")
    private int queueRetentionS;
    @PropertyInject("aws.dlq-retention-s")
    private int dlqRetentionS;
    @PropertyInject("aws.visibility-timeout-s")
    private int visibilityTimeoutS;
    @PropertyInject("aws.max-receive-count")
    private int maxReceiveCount;

    @Override
    public void configure(CamelContext context) {
        if (provision) {
            new StackProvisioner(context.getRegistry().lookupByNameAndType("snsClient", SnsClient.class),
                    context.getRegistry().lookupByNameAndType("sqsClient", SqsClient.class))
                    .provision(new StackProvisioner.Stack(nameOf(topic), nameOf(queue), nameOf(dlq), queueRetentionS, dlqRetentionS, visibilityTimeoutS, maxReceiveCount));
        }
    }

    @BindToRegistry(lazy = true)
    public SnsClient snsClient(@BeanInject("outages") Outages outages, CamelContext context) {
        SnsClientBuilder sns = SnsClient.builder().region(Region.of(region)).credentialsProvider(credentials())
                .overrideConfiguration(timeoutsAndOutages(outages, "sns")).httpClientBuilder(ApacheHttpClient.builder());
        if (!endpoint().isEmpty()) {
            sns.endpointOverride(URI.create(endpoint()));
        }
        return closedWithTheContext(context, sns.build());
    }

    @BindToRegistry(lazy = true)
    public SqsClient sqsClient(@BeanInject("outages") Outages outages, CamelContext context) {
        SqsClientBuilder sqs = SqsClient.builder().region(Region.of(region)).credentialsProvider(credentials())
                .overrideConfiguration(timeoutsAndOutages(outages, "sqs")).httpClientBuilder(ApacheHttpClient.builder());
        if (!endpoint().isEmpty()) {
            sqs.endpointOverride(URI.create(endpoint()));
        }
        return closedWithTheContext(context, sqs.build());
    }

    /** A topic or queue may be given by its ARN; it is made by its name. */
    static String nameOf(String nameOrArn) {
        return nameOrArn.substring(nameOrArn.lastIndexOf(':') + 1);
    }

    private String endpoint() {
        return endpointUrl.trim();
    }

    /** Every call bounded by AWS_API_CALL_TIMEOUT_MS, and its outcome told to operations.Outages. */
    private ClientOverrideConfiguration timeoutsAndOutages(Outages outages, String dependency) {
        return ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofMillis(apiCallTimeoutMs))
                .addExecutionInterceptor(new AwsCallOutcomes(outages, dependency))
                .build();
    }

    private static <T extends SdkAutoCloseable> T closedWithTheContext(CamelContext context, T client) {
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
}
