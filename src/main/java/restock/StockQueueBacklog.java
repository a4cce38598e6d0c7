package restock;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** How many messages wait on stock-queue for a consumer (SQS's ApproximateNumberOfMessages). */
public final class StockQueueBacklog {

    private final SqsClient sqs;
    private final String queue;
    private volatile String queueUrl;

    /** @param queue the queue's name */
    public StockQueueBacklog(SqsClient sqs, String queue) {
        this.sqs = sqs;
        this.queue = queue;
    }

    public int waitingMessages() {
        if (queueUrl == null) {
            // Granted on this queue alone, where listing queues is granted on all or none (deploy/README.md).
            queueUrl = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        }
        String waiting = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return Integer.parseInt(waiting);
    }
}
