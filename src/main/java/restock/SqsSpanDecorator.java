package restock;

import java.util.HashMap;
import java.util.Map;

import operations.TraceContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.telemetry.SpanContextPropagationExtractor;
import org.apache.camel.telemetry.decorators.AbstractMessagingSpanDecorator;
import org.apache.camel.telemetry.propagation.CamelHeadersSpanContextPropagationExtractor;

/**
 * How Camel's tracer (tracing on) reads a message off stock-queue or stock-dlq. SNS delivers to
 * stock-queue in its notification envelope (deploy/cloudformation.yaml, RawMessageDelivery false),
 * where the traceparent the outbox published is one of the envelope's MessageAttributes rather
 * than an SQS message attribute: the consumer's span continues that trace instead of starting one.
 * Registered in META-INF/services/org.apache.camel.telemetry.SpanDecorator.
 */
public class SqsSpanDecorator extends AbstractMessagingSpanDecorator {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String getComponent() {
        return "aws2-sqs";
    }

    @Override
    public String getComponentClassName() {
        return "org.apache.camel.component.aws2.sqs.Sqs2Component";
    }

    @Override
    public SpanContextPropagationExtractor getExtractor(Exchange exchange) {
        Map<String, Object> headers = exchange.getMessage().getHeaders();
        if (headers.get(TraceContext.TRACEPARENT) == null) {
            String traceparent = RestockNotifications.envelopeAttribute(MAPPER, exchange.getMessage().getBody(String.class),
                    TraceContext.TRACEPARENT);
            if (traceparent != null) {
                headers = new HashMap<>(headers);
                headers.put(TraceContext.TRACEPARENT, traceparent);
            }
        }
        return new CamelHeadersSpanContextPropagationExtractor(headers);
    }
}
