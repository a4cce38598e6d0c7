package routes;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import restock.SqsSpanDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing on, with Camel's own OpenTelemetry support and the spans kept in memory instead of sent
 * over OTLP: one restock, from the customer's order through the SNS publish, the SQS consumer and
 * the factory call to the factory's callback, is one trace, the customer's, each step a
 * descendant of the one before. SNS, SQS and the factory are mock endpoints here, as in every
 * route test; the message reaches the factory route as SQS hands over a raw delivery, its
 * attributes as headers (JsonLogsFollowOneTracedRestockIT takes the SNS envelope through the real
 * emulator).
 */
class OneRestockIsOneTraceTest extends RouteTestSupport {

    private static final String CUSTOMER_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String CUSTOMER_SPAN_ID = "b7ad6b7169203331";
    private static final String CUSTOMER_TRACEPARENT = "00-" + CUSTOMER_TRACE_ID + "-" + CUSTOMER_SPAN_ID + "-01";
    private static final AttributeKey<String> CAMEL_URI = AttributeKey.stringKey("camel.uri");

    // Static: the framework configures the application before the test instance's fields are set.
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final OpenTelemetrySdk SDK = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        // Runs before the application's configuration classes: TracingConfiguration finds this
        // OpenTelemetry instead of building one from the OTEL_* variables.
        configuration.addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) {
                context.getRegistry().bind("openTelemetry", OpenTelemetry.class, SDK);
            }
        });
    }

    @Test
    void theSpansOfOneRestockFromTheOrderToTheCallbackAreOneTrace() throws Exception {
        SPANS.reset();
        MockEndpoint topic = getMockEndpoint("mock:stock-topic");
        MockEndpoint factory = getMockEndpoint("mock:factory");
        factory.whenAnyExchangeReceived(exchange -> {
            exchange.getMessage().setBody("{\"data\":{\"data\":{},\"id\":\"job-trace\",\"reqestor\":\"donut-states\"}}");
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        });
        product("TR-1", 1, 0);

        // The customer's order sells the last one, which opens the restock request.
        Answer sold = post("/api/orders", "{\"sku\":\"TR-1\",\"quantity\":1}", Map.of("traceparent", CUSTOMER_TRACEPARENT));
        assertThat(sold.status()).isEqualTo(201);

        // Published to SNS with the trace context as a message attribute (a header of the publish).
        await("the publish").atMost(Duration.ofSeconds(10)).until(() -> topic.getReceivedCounter() == 1);
        Exchange published = topic.getReceivedExchanges().get(0);
        String publishedContext = published.getMessage().getHeader("traceparent", String.class);
        assertThat(publishedContext).startsWith("00-" + CUSTOMER_TRACE_ID + "-");

        // SQS hands the message over with its attributes as headers.
        Map<String, Object> attributes = new HashMap<>();
        for (String name : List.of("ProductId", "FactoryId", "RequestId", "Quantity", "traceparent")) {
            attributes.put(name, published.getMessage().getHeader(name, String.class));
        }
        attributes.put("CamelAwsSqsMessageId", UUID.randomUUID().toString());
        Exchange consumed = template.send("direct:stock-queue", exchange -> {
            exchange.getMessage().setHeaders(attributes);
            exchange.getMessage().setBody(published.getMessage().getBody(String.class));
        });
        assertThat(consumed.getException()).isNull();

        // The factory gets the trace context as its traceparent header and in the CallbackUrl.
        assertThat(factory.getReceivedCounter()).isEqualTo(1);
        Exchange call = factory.getReceivedExchanges().get(0);
        assertThat(call.getMessage().getHeader("traceparent", String.class)).startsWith("00-" + CUSTOMER_TRACE_ID + "-");
        URI callbackUrl = URI.create(JSON.readTree(call.getMessage().getBody(String.class)).get("CallbackUrl").asText());
        assertThat(callbackUrl.getQuery()).contains("traceparent=00-" + CUSTOMER_TRACE_ID + "-");

        // The factory calls back as the legacy one does: the URL as it was given, no trace header.
        Answer delivered = post(callbackUrl.getRawPath() + "?" + callbackUrl.getRawQuery(), "{}", Map.of());
        assertThat(delivered.status()).isEqualTo(200);
        assertThat(stockOf("TR-1")).isEqualTo(10);

        Predicate<SpanData> callback = span -> span.getAttributes().get(CAMEL_URI) != null
                && span.getAttributes().get(CAMEL_URI).startsWith("direct://restockCallback");
        await("the callback's span").atMost(Duration.ofSeconds(10)).until(() -> find(callback).isPresent());
        List<SpanData> spans = SPANS.getFinishedSpanItems();

        SpanData orderSpan = spans.stream().filter(span -> span.getParentSpanId().equals(CUSTOMER_SPAN_ID)).findFirst().orElseThrow();
        SpanData publish = find(uri("mock://stock-topic")).orElseThrow();
        SpanData consume = find(uri("direct://stock-queue")).orElseThrow();
        SpanData factoryCall = find(uri("mock://factory")).orElseThrow();
        SpanData callbackSpan = find(callback).orElseThrow();
        for (SpanData span : List.of(orderSpan, publish, consume, factoryCall, callbackSpan)) {
            assertThat(span.getTraceId()).as("trace of " + span.getName() + " " + span.getAttributes()).isEqualTo(CUSTOMER_TRACE_ID);
        }
        // One tree: every span of the trace hangs off another of its spans, or off the customer's.
        List<SpanData> trace = spans.stream().filter(span -> span.getTraceId().equals(CUSTOMER_TRACE_ID)).toList();
        Set<String> parents = new HashSet<>(trace.stream().map(SpanData::getSpanId).toList());
        parents.add(CUSTOMER_SPAN_ID);
        assertThat(trace).allSatisfy(span -> assertThat(parents)
                .as("the parent of " + span.getName() + " " + span.getAttributes()).contains(span.getParentSpanId()));
        // … and in the order things happened: order, publish, consume, factory call, callback.
        assertThat(ancestorsOf(publish, trace)).contains(orderSpan.getSpanId());
        assertThat(ancestorsOf(consume, trace)).contains(publish.getSpanId());
        assertThat(ancestorsOf(factoryCall, trace)).contains(consume.getSpanId());
        assertThat(ancestorsOf(callbackSpan, trace)).contains(consume.getSpanId());
        assertThat(publishedContext).contains(publish.getSpanId());
    }

    @Test
    void aMessageInTheSnsEnvelopeContinuesTheTraceOfItsTraceparentAttribute() throws Exception {
        String envelope = JSON.writeValueAsString(Map.of("Type", "Notification", "MessageId", "m-1", "Message", "{}",
                "MessageAttributes", Map.of("traceparent", Map.of("Type", "String", "Value", CUSTOMER_TRACEPARENT))));
        Exchange message = new DefaultExchange(context);
        message.getMessage().setBody(envelope);

        assertThat(new SqsSpanDecorator().getExtractor(message).get("traceparent")).isEqualTo(CUSTOMER_TRACEPARENT);
    }

    private static Predicate<SpanData> uri(String prefix) {
        return span -> span.getAttributes().get(CAMEL_URI) != null && span.getAttributes().get(CAMEL_URI).startsWith(prefix)
                && span.getTraceId().equals(CUSTOMER_TRACE_ID);
    }

    private static Optional<SpanData> find(Predicate<SpanData> which) {
        return SPANS.getFinishedSpanItems().stream().filter(which).findFirst();
    }

    private static List<String> ancestorsOf(SpanData span, List<SpanData> trace) {
        Map<String, String> parents = new HashMap<>();
        trace.forEach(each -> parents.put(each.getSpanId(), each.getParentSpanId()));
        List<String> ancestors = new ArrayList<>();
        for (String parent = span.getParentSpanId(); parents.containsKey(parent); parent = parents.get(parent)) {
            ancestors.add(parent);
        }
        return ancestors;
    }
}
