package config;

import java.net.URI;
import java.time.Duration;

import config.StackProvisioner;
import operations.SnsHealthCheck;
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

/**
 * One SNS and one SQS client for every route, so real AWS, LocalStack, Floci and fauxqs differ
 * only in endpoint, region and credentials. With provisioning on, the topic, queues, redrive
 * policy and subscription exist before any route starts.
 */
public class AwsConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AwsConfiguration.class);

    @PropertyInject("aws.region")
    private String region;
    @PropertyInject("aws.endpoint-url")
    private String endpointUrl;
    @PropertyInject("aws.api-call-timeout-ms")
    private long apiCallTimeoutMs;
    @PropertyInject("aws.health-check-timeout-ms")
    private long healthCheckTimeoutMs;
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
    public void configure(CamelContext context) throws Exception {
        String endpoint = endpointUrl.trim();
        ClientOverrideConfiguration timeouts = ClientOverrideConfiguration.builder()
                .apiCallTimeout(Duration.ofMillis(apiCallTimeoutMs))
                .build();
        AwsCredentialsProvider credentials = credentials(endpoint);

        SnsClientBuilder sns = SnsClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                .overrideConfiguration(timeouts).httpClientBuilder(ApacheHttpClient.builder());
        SqsClientBuilder sqs = SqsClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                .overrideConfiguration(timeouts).httpClientBuilder(ApacheHttpClient.builder());
        if (!endpoint.isEmpty()) {
            sns.endpointOverride(URI.create(endpoint));
            sqs.endpointOverride(URI.create(endpoint));
        }
        SnsClient snsClient = sns.build();
        SqsClient sqsClient = sqs.build();
        context.getRegistry().bind("snsClient", snsClient);
        context.getRegistry().bind("sqsClient", sqsClient);
        context.getRegistry().bind("snsHealthCheck", new SnsHealthCheck(snsClient, topic, Duration.ofMillis(healthCheckTimeoutMs)));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                snsClient.close();
                sqsClient.close();
            }
        }, true, true);

        if (provision) {
            new StackProvisioner(snsClient, sqsClient).provision(new StackProvisioner.Stack(
                    topic, queue, dlq, queueRetentionS, dlqRetentionS, visibilityTimeoutS, maxReceiveCount));
        }
    }

    private static AwsCredentialsProvider credentials(String endpoint) {
        boolean emulator = !endpoint.isEmpty();
        if (emulator && System.getenv("AWS_ACCESS_KEY_ID") == null) {
            LOG.info("Using placeholder credentials for the AWS emulator at {}", endpoint);
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
