package config;

import java.net.URI;
import java.time.Duration;

import beans.StackProvisioner;
import beans.StockQueueBacklog;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
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

    @Override
    public void configure(CamelContext context) throws Exception {
        Properties properties = new Properties(context);
        Region region = Region.of(properties.get("aws.region"));
        String endpoint = properties.get("aws.endpoint-url").trim();
        ClientOverrideConfiguration timeouts = ClientOverrideConfiguration.builder()
                .apiCallTimeout(Duration.ofMillis(properties.getInt("aws.api-call-timeout-ms")))
                .build();
        AwsCredentialsProvider credentials = credentials(endpoint);

        SnsClientBuilder sns = SnsClient.builder().region(region).credentialsProvider(credentials)
                .overrideConfiguration(timeouts).httpClientBuilder(ApacheHttpClient.builder());
        SqsClientBuilder sqs = SqsClient.builder().region(region).credentialsProvider(credentials)
                .overrideConfiguration(timeouts).httpClientBuilder(ApacheHttpClient.builder());
        if (!endpoint.isEmpty()) {
            sns.endpointOverride(URI.create(endpoint));
            sqs.endpointOverride(URI.create(endpoint));
        }
        SnsClient snsClient = sns.build();
        SqsClient sqsClient = sqs.build();
        context.getRegistry().bind("snsClient", snsClient);
        context.getRegistry().bind("sqsClient", sqsClient);
        context.getRegistry().bind("stockQueueBacklog", new StockQueueBacklog(sqsClient, properties.get("aws.stock-queue")));
        context.getRegistry().bind("snsHealthCheck", new SnsHealthCheck(snsClient, properties.get("aws.stock-topic"),
                Duration.ofMillis(properties.getInt("aws.health-check-timeout-ms"))));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                snsClient.close();
                sqsClient.close();
            }
        }, true, true);

        if (properties.getBoolean("aws.provision")) {
            new StackProvisioner(snsClient, sqsClient).provision(new StackProvisioner.Stack(
                    properties.get("aws.stock-topic"), properties.get("aws.stock-queue"), properties.get("aws.stock-dlq"),
                    properties.getInt("aws.queue-retention-s"), properties.getInt("aws.dlq-retention-s"),
                    properties.getInt("aws.visibility-timeout-s"), properties.getInt("aws.max-receive-count")));
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
