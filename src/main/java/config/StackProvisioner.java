package config;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.SubscribeRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Creates (or brings up to date) the topic, the queue subscribed to it and the DLQ its redrive
 * policy points at. The same definitions live in localstack/ and deploy/ for other setups.
 * Safe to run at every start: each call is idempotent.
 */
public final class StackProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(StackProvisioner.class);

    public record Stack(String topic, String queue, String dlq, int queueRetentionSeconds, int dlqRetentionSeconds,
                        int visibilityTimeoutSeconds, int maxReceiveCount) {
    }

    public record Provisioned(String topicArn, String queueUrl, String queueArn, String dlqUrl, String dlqArn) {
    }

    private final SnsClient sns;
    private final SqsClient sqs;

    public StackProvisioner(SnsClient sns, SqsClient sqs) {
        this.sns = sns;
        this.sqs = sqs;
    }

    public Provisioned provision(Stack stack) {
        String dlqUrl = upsertQueue(stack.dlq(), Map.of(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, String.valueOf(stack.dlqRetentionSeconds())));
        String dlqArn = arnOf(dlqUrl);

        String topicArn = sns.createTopic(b -> b.name(stack.topic())).topicArn();

        String queueUrl = upsertQueue(stack.queue(), Map.of(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, String.valueOf(stack.queueRetentionSeconds()),
                QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(stack.visibilityTimeoutSeconds()),
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + stack.maxReceiveCount() + "\"}"));
        String queueArn = arnOf(queueUrl);
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributes(Map.of(QueueAttributeName.POLICY, topicMaySend(queueArn, topicArn))));

        sns.subscribe(SubscribeRequest.builder().topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .returnSubscriptionArn(true).build());
        LOG.info("Provisioned topic {} -> queue {} (redrive to {} after {} receives)",
                topicArn, queueArn, dlqArn, stack.maxReceiveCount());
        return new Provisioned(topicArn, queueUrl, queueArn, dlqUrl, dlqArn);
    }

    private String upsertQueue(String name, Map<QueueAttributeName, String> attributes) {
        try {
            String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(attributes));
            return url;
        } catch (QueueDoesNotExistException absent) {
            return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        }
    }

    private String arnOf(String queueUrl) {
        return sqs.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN).build()).attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static String topicMaySend(String queueArn, String topicArn) {
        return """
                {"Version":"2012-10-17","Statement":[{"Sid":"stock-topic-may-send","Effect":"Allow",\
                "Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"%s",\
                "Condition":{"ArnEquals":{"aws:SourceArn":"%s"}}}]}""".formatted(queueArn, topicArn);
    }
}
