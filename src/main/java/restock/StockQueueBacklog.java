package restock;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** How many messages wait on stock-queue for a consumer (SQS's ApproximateNumberOfMessages). */
public final class StockQueueBacklog {

    private final SqsClient sqs;
    private final String queue;
    private volatile String queueUrl;

    /** @param queue the queue's name (SQS lists queues by name) */
    public StockQueueBacklog(SqsClient sqs, String queue) {
        this.sqs = sqs;
        this.queue = queue;
    }

    public int waitingMessages() {
        if (queueUrl == null) {
            // As Camel's SQS endpoints find it, with the permission they already have.
            queueUrl = sqs.listQueues(b -> b.queueNamePrefix(queue)).queueUrls().stream()
                    .filter(url -> url.endsWith("/" + queue)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No queue " + queue));
        }
        String waiting = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return Integer.parseInt(waiting);
    }
}
