package routes;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FactoryRouteTest extends RouteTestSupport {

    private static final String FACTORY_ANSWER = """
            {"data":{"data":{},"id":"job-77","reqestor":"donut-states"}}""";

    @Test
    void ordersTheLegacyPayloadAndRecordsTheFactoryJob() throws Exception {
        MockEndpoint factory = answeringFactory();
        String requestId = stockOutRequest("FR-1");

        Exchange delivered = deliver(snsEnvelope(requestId));

        assertThat(delivered.getException()).isNull();
        assertThat(factory.getReceivedExchanges()).hasSize(1);
        Exchange call = factory.getReceivedExchanges().get(0);
        JsonNode payload = JSON.readTree(call.getMessage().getBody(String.class));
        assertThat(payload.fieldNames()).toIterable().containsExactlyInAnyOrder("MessageGroupId", "MessageAttributeProductId",
                "MessageAttributeProductCnt", "MessageAttributeFactoryId", "MessageAttributeRequester", "CallbackUrl");
        assertThat(payload.get("MessageGroupId").asText()).isEqualTo("stock-arrival-group");
        assertThat(payload.get("MessageAttributeProductId").asText()).isEqualTo("FR-1");
        assertThat(payload.get("MessageAttributeProductCnt").isTextual()).isTrue();
        assertThat(payload.get("MessageAttributeProductCnt").asText()).isEqualTo("10");
        assertThat(payload.get("MessageAttributeFactoryId").asText()).isEqualTo("factory_01");
        assertThat(payload.get("MessageAttributeRequester").asText()).isEqualTo("donut-states");
        assertThat(payload.get("CallbackUrl").asText())
                .isEqualTo(baseUrl() + "/api/restock?request=" + requestId + "&signature=" + signature(requestId));
        assertThat(call.getMessage().getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(call.getMessage().getHeaders().keySet().stream().filter(name -> !name.startsWith("Camel")))
                .as("headers that reach the wire").containsExactly("Content-Type");
        assertThat(statusOf(requestId)).isEqualTo("ORDERED");
        assertThat(db().queryForMap("SELECT factory_job_id, attempts FROM restock_requests WHERE id = ?", requestId))
                .containsEntry("factory_job_id", "job-77").containsEntry("attempts", 1);
    }

    @Test
    void aRawDeliveryIsReadLikeTheSnsEnvelope() throws Exception {
        MockEndpoint factory = answeringFactory();
        String requestId = stockOutRequest("FR-2");

        deliver("{\"requestId\":\"" + requestId + "\",\"sku\":\"FR-2\",\"quantity\":10,\"factoryId\":\"factory_01\"}");

        assertThat(factory.getReceivedCounter()).isEqualTo(1);
        assertThat(statusOf(requestId)).isEqualTo("ORDERED");
    }

    @Test
    void aRepeatedDeliveryOfAnOrderedRequestDoesNotOrderTwice() throws Exception {
        MockEndpoint factory = answeringFactory();
        String requestId = stockOutRequest("FR-3");

        deliver(snsEnvelope(requestId));
        Exchange repeat = deliver(snsEnvelope(requestId));

        assertThat(repeat.getException()).isNull();
        assertThat(factory.getReceivedCounter()).isEqualTo(1);
        assertThat(statusOf(requestId)).isEqualTo("ORDERED");
    }

    @Test
    void aFailingFactoryIsRetriedThenTheOriginalMessageIsDeadLetteredWithItsCause() throws Exception {
        MockEndpoint factory = getMockEndpoint("mock:factory");
        factory.whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("factory answered 503");
        });
        MockEndpoint dlq = getMockEndpoint("mock:stock-dlq");
        String requestId = stockOutRequest("FR-4");
        String envelope = snsEnvelope(requestId);

        Exchange delivered = deliver(envelope);

        assertThat(delivered.getException()).as("handled by the dead letter channel, so SQS may delete it").isNull();
        assertThat(factory.getReceivedCounter()).isEqualTo(3);
        assertThat(dlq.getReceivedExchanges()).hasSize(1);
        Exchange deadLetter = dlq.getReceivedExchanges().get(0);
        assertThat(deadLetter.getMessage().getBody(String.class)).isEqualTo(envelope);
        assertThat(deadLetter.getMessage().getHeader("RequestId")).isEqualTo(requestId);
        assertThat(deadLetter.getMessage().getHeader("LastError", String.class)).contains("factory answered 503");
        assertThat(db().queryForObject("SELECT attempts FROM restock_requests WHERE id = ?", Integer.class, requestId)).isEqualTo(3);
    }

    @Test
    void aDeadLetterThatCannotBeSentLeavesTheMessageOnTheQueue() throws Exception {
        getMockEndpoint("mock:factory").whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("factory answered 503");
        });
        getMockEndpoint("mock:stock-dlq").whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("SQS unavailable");
        });
        String requestId = stockOutRequest("FR-5");

        Exchange delivered = deliver(snsEnvelope(requestId));

        assertThat(delivered.getException()).as("an exception keeps the SQS message for another try").isNotNull();
    }

    @Test
    void aRequestWhoseOrderWasInterruptedAfterCallingTheFactoryIsDeadLetteredNotOrderedAgain() throws Exception {
        MockEndpoint factory = answeringFactory();
        MockEndpoint dlq = getMockEndpoint("mock:stock-dlq");
        String requestId = stockOutRequest("FR-CRASH");
        // What a crash leaves behind: a lease that ran out after one call went to the factory.
        db().update("UPDATE restock_requests SET status = 'PUBLISHED', attempts = 1, calls_under_lease = 1,"
                + " lease_until = TIMESTAMPADD(SECOND, -1, CURRENT_TIMESTAMP(3)) WHERE id = ?", requestId);

        deliver(snsEnvelope(requestId));
        deliver(snsEnvelope(requestId));

        assertThat(factory.getReceivedCounter()).as("orders sent to the factory").isZero();
        assertThat(dlq.getReceivedExchanges()).hasSize(1);
        assertThat(dlq.getReceivedExchanges().get(0).getMessage().getHeader("RequestId")).isEqualTo(requestId);
        assertThat(dlq.getReceivedExchanges().get(0).getMessage().getHeader("LastError", String.class))
                .contains("may have taken the order");
    }

    @Test
    void aRequestWhoseLeaseRanOutBeforeAnyFactoryCallIsOrdered() throws Exception {
        MockEndpoint factory = answeringFactory();
        String requestId = stockOutRequest("FR-EARLY-CRASH");
        db().update("UPDATE restock_requests SET status = 'PUBLISHED',"
                + " lease_until = TIMESTAMPADD(SECOND, -1, CURRENT_TIMESTAMP(3)) WHERE id = ?", requestId);

        deliver(snsEnvelope(requestId));

        assertThat(factory.getReceivedCounter()).isEqualTo(1);
        assertThat(statusOf(requestId)).isEqualTo("ORDERED");
        assertThat(getMockEndpoint("mock:stock-dlq").getReceivedCounter()).isZero();
    }

    @Test
    void aMessageNamingNoKnownRequestGoesStraightToTheDlq() throws Exception {
        MockEndpoint factory = answeringFactory();
        MockEndpoint dlq = getMockEndpoint("mock:stock-dlq");

        deliver("not json at all");
        deliver("{\"requestId\":\"no-such-request\"}");

        assertThat(factory.getReceivedCounter()).isZero();
        assertThat(dlq.getReceivedExchanges()).hasSize(2);
        assertThat(dlq.getReceivedExchanges().get(0).getMessage().getHeader("LastError", String.class)).contains("not JSON");
        assertThat(dlq.getReceivedExchanges().get(1).getMessage().getHeader("LastError", String.class)).contains("No such restock request");
    }

    @Test
    void theCircuitOpensOnADeadFactoryAndStopsCallingIt() throws Exception {
        MockEndpoint factory = getMockEndpoint("mock:factory");
        factory.whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("connection refused");
        });
        for (int i = 1; i <= 6; i++) {
            deliver(snsEnvelope(stockOutRequest("FR-CB-" + i)));
        }

        // 6 requests x 3 tries would be 18 calls; the breaker (window 4 in this test) lets far fewer through.
        assertThat(factory.getReceivedCounter()).isLessThan(18);
        await().atMost(5, TimeUnit.SECONDS).until(() -> getMockEndpoint("mock:stock-dlq").getReceivedCounter() == 6);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM restock_requests WHERE status = 'ORDERED'", Integer.class))
                .as("a call the open circuit refused is not an order").isZero();
    }

    @Test
    void anOrderTheFactoryNeverDeliversIsDeadLetteredOnceItsDeadlinePasses() throws Exception {
        answeringFactory();
        MockEndpoint dlq = getMockEndpoint("mock:stock-dlq");
        String requestId = stockOutRequest("FR-LATE");
        deliver(snsEnvelope(requestId));
        assertThat(statusOf(requestId)).isEqualTo("ORDERED");

        db().update("UPDATE restock_requests SET deliver_by = TIMESTAMPADD(SECOND, -1, CURRENT_TIMESTAMP(3)) WHERE id = ?", requestId);

        await().atMost(10, TimeUnit.SECONDS).until(() -> "FAILED".equals(statusOf(requestId)));
        assertThat(dlq.getReceivedExchanges()).hasSize(1);
        assertThat(dlq.getReceivedExchanges().get(0).getMessage().getHeader("RequestId")).isEqualTo(requestId);
        assertThat(dlq.getReceivedExchanges().get(0).getMessage().getHeader("LastError", String.class))
                .contains("No delivery callback").contains("job-77");
    }

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("camel.resilience4j.sliding-window-size", "4", "camel.resilience4j.minimum-number-of-calls", "4",
                "factory.deadline-check-ms", "200");
    }

    private MockEndpoint answeringFactory() {
        MockEndpoint factory = getMockEndpoint("mock:factory");
        factory.whenAnyExchangeReceived(exchange -> {
            exchange.getMessage().setBody(FACTORY_ANSWER);
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        });
        return factory;
    }

    private Exchange deliver(String body) {
        return template.send("direct:stock-queue", exchange -> {
            exchange.getMessage().setHeader("CamelAwsSqsMessageId", java.util.UUID.randomUUID().toString());
            exchange.getMessage().setBody(body);
        });
    }

    static String snsEnvelope(String requestId) throws Exception {
        String message = "{\"requestId\":\"" + requestId + "\",\"sku\":\"any\",\"quantity\":10,\"factoryId\":\"factory_01\"}";
        return JSON.writeValueAsString(Map.of("Type", "Notification", "MessageId", "m-1", "Message", message,
                "MessageAttributes", Map.of("RequestId", Map.of("Type", "String", "Value", requestId))));
    }
}
