package operations;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll strategy and exception handler of the consumers that poll one dependency (the sql
 * consumers the database, the aws2-sqs consumers SQS): a poll that failed because the dependency
 * does not answer is part of an outage (Outages), not a WARN line and a stack trace every poll as
 * Camel's default handler writes; a poll that succeeded ends the outage. Any other failure is
 * logged as Camel would. The consumers also back off after a failed poll (backoffErrorThreshold,
 * application.properties).
 */
public record DependencyPolls(Outages outages, String dependency) implements PollingConsumerPollStrategy, ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DependencyPolls.class);

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        outages.answered(dependency);
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        // Not retried at once: the exception handler below hears of it, and the consumer backs off.
        return false;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        // The failed call told Outages itself (DatabaseConfiguration, AwsConfiguration).
        if (!Outages.unreachable(exception)) {
            LOG.warn("{}", message != null ? message : "A consumer of " + dependency + " failed", exception);
        }
    }
}
