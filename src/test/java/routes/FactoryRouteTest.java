package routes;

import java.time.Duration;
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
        // The order's trace context (started by the app, as the order came without one) goes to the
        // factory as a header and in the CallbackUrl, which the factory calls back as it is.
        String traceparent = db().queryForObject("SELECT traceparent FROM restock_requests WHERE id = ?", String.class, requestId);
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
        assertThat(payload.get("CallbackUrl").asText()).isEqualTo(baseUrl() + "/api/restock?request=" + requestId
                + "&signature=" + signature(requestId) + "&traceparent=" + traceparent);
        assertThat(call.getMessage().getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(call.getMessage().getHeader("traceparent")).isEqualTo(traceparent);
        assertThat(call.getMessage().getHeaders().keySet().stream().filter(name -> !name.startsWith("Camel")))
                .as("headers that reach the wire").containsExactlyInAnyOrder("Content-Type", "traceparent");
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
            throw factoryAnswered(503);
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
        assertThat(deadLetter.getMessage().getHeader("DeadLetterReason")).isEqualTo("retries_exhausted");
        assertThat(deadLetter.getMessage().getHeader("Retries")).isEqualTo("0");
        assertThat(deadLetter.getMessage().getHeader("LastError", String.class))
                .isEqualTo("The factory answered HTTP 503 to the order.");
        assertThat(db().queryForObject("SELECT attempts FROM restock_requests WHERE id = ?", Integer.class, requestId)).isEqualTo(3);
    }

    @Test
    void aDeadLetterThatCannotBeSentLeavesTheMessageOnTheQueue() throws Exception {
        getMockEndpoint("mock:factory").whenAnyExchangeReceived(exchange -> {
            throw factoryAnswered(503);
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
        assertThat(dlq.getReceivedExchanges().get(1).getMessage().getHeader("LastError", String.class))
                .contains("names a restock request that does not exist");
        assertThat(dlq.getReceivedExchanges()).allSatisfy(deadLetter -> assertThat(deadLetter.getMessage().getHeaders())
                .containsEntry("DeadLetterReason", "invalid_message").doesNotContainKeys("RequestId", "Retries"));
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
    void anOrderTheFactoryNeverDeliversIsDeadLetteredOnceItsDeadlinePassesAndThenFailsWithOneEmail() throws Exception {
        answeringFactory();
        MockEndpoint dlq = getMockEndpoint("mock:stock-dlq");
        String requestId = stockOutRequest("FR-LATE");
        deliver(snsEnvelope(requestId));
        assertThat(statusOf(requestId)).isEqualTo("ORDERED");

        db().update("UPDATE restock_requests SET deliver_by = TIMESTAMPADD(SECOND, -1, CURRENT_TIMESTAMP(3)) WHERE id = ?", requestId);

        await().atMost(10, TimeUnit.SECONDS).until(() -> dlq.getReceivedCounter() == 1);
        Exchange deadLetter = dlq.getReceivedExchanges().get(0);
        assertThat(deadLetter.getMessage().getHeader("RequestId")).isEqualTo(requestId);
        assertThat(deadLetter.getMessage().getHeader("DeadLetterReason")).isEqualTo("delivery_overdue");
        assertThat(deadLetter.getMessage().getHeader("LastError", String.class))
                .contains("No delivery callback").contains("job-77");
        // Later sweeps (every 200 ms here) leave it to that one dead letter until the alert takes it.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> dlq.getReceivedCounter() == 1);

        Exchange alerted = template.send("direct:stock-dlq", exchange -> {
            exchange.getMessage().setHeaders(new java.util.HashMap<>(deadLetter.getMessage().getHeaders()));
            exchange.getMessage().setHeader("CamelAwsSqsMessageId", java.util.UUID.randomUUID().toString());
            exchange.getMessage().setBody(deadLetter.getMessage().getBody(String.class));
        });
        assertThat(alerted.getException()).isNull();
        assertThat(statusOf(requestId)).isEqualTo("FAILED");
        assertThat(getMockEndpoint("mock:ops-mail").getReceivedExchanges()).singleElement()
                .satisfies(mail -> assertThat(mail.getMessage().getBody(String.class)).contains("job-77").contains("Ask the factory"));
        assertThat(dlq.getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void callsTheFactoryRefusedDoNotStopTheRequestFromBeingOrderedAfterAStop() throws Exception {
        MockEndpoint factory = getMockEndpoint("mock:factory");
        factory.whenAnyExchangeReceived(exchange -> {
            throw factoryAnswered(503);
        });
        // The dead letter cannot be sent either: the exchange fails and the request keeps its lease,
        // as when the app stops during the back-off between two refused calls.
        getMockEndpoint("mock:stock-dlq").whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("SQS unavailable");
        });
        String requestId = stockOutRequest("FR-REFUSED");
        deliver(snsEnvelope(requestId));
        assertThat(factory.getReceivedCounter()).isEqualTo(3);

        // The lease runs out (its length is not what this test is about) and the message comes back.
        expireLease(requestId);
        MockEndpoint dlq = getMockEndpoint("mock:stock-dlq");
        int deadLettersBefore = dlq.getReceivedCounter();
        answeringFactory();
        deliver(snsEnvelope(requestId));

        assertThat(statusOf(requestId)).as("three refused calls are no reason to think the factory took the order")
                .isEqualTo("ORDERED");
        assertThat(factory.getReceivedCounter()).isEqualTo(4);
        assertThat(dlq.getReceivedCounter()).as("dead letters after the stop").isEqualTo(deadLettersBefore);
    }

    @Test
    void aCallThatTimedOutMayHaveBeenTakenSoAStopMidRetryIsNotOrderedAgain() throws Exception {
        MockEndpoint factory = getMockEndpoint("mock:factory");
        factory.whenAnyExchangeReceived(exchange -> {
            throw new java.net.SocketTimeoutException("Read timed out");
        });
        getMockEndpoint("mock:stock-dlq").whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("SQS unavailable");
        });
        String requestId = stockOutRequest("FR-TIMEOUT");
        deliver(snsEnvelope(requestId));

        expireLease(requestId);
        MockEndpoint dlq = getMockEndpoint("mock:stock-dlq");
        dlq.whenAnyExchangeReceived(exchange -> { });
        answeringFactory();
        deliver(snsEnvelope(requestId));

        assertThat(factory.getReceivedCounter()).as("calls: three that timed out, none after the stop").isEqualTo(3);
        assertThat(dlq.getReceivedExchanges()).last().satisfies(deadLetter -> assertThat(deadLetter.getMessage().getHeaders())
                .containsEntry("DeadLetterReason", "order_interrupted"));
    }

    @Test
    void aDeadLetterMovedBackBeforeOpsWereMailedSendsTheFailedRequestAgainOnce() throws Exception {
        MockEndpoint factory = answeringFactory();
        MockEndpoint topic = getMockEndpoint("mock:stock-topic");
        String requestId = failedRequest("FR-MOVED");
        String deadLetter = snsEnvelope(requestId);

        // The console's "Start DLQ redrive", twice over: the same dead letter lands on stock-queue twice.
        deliver(deadLetter);
        deliver(deadLetter);

        assertThat(db().queryForObject("SELECT retries FROM restock_requests WHERE id = ?", Integer.class, requestId)).isEqualTo(1);
        await().atMost(10, TimeUnit.SECONDS).until(() -> "PUBLISHED".equals(statusOf(requestId)));
        assertThat(topic.getReceivedExchanges()).filteredOn(published -> requestId.equals(published.getMessage().getHeader("RequestId")))
                .as("publishes of the request: the first, then the one retry").hasSize(2);
        assertThat(factory.getReceivedCounter()).as("the moved messages themselves order nothing").isZero();
        JsonNode republished = JSON.readTree(topic.getReceivedExchanges().get(topic.getReceivedCounter() - 1).getMessage().getBody(String.class));
        assertThat(republished.get("retries").asInt()).isEqualTo(1);

        deliver(snsEnvelope(requestId, 1));
        assertThat(statusOf(requestId)).isEqualTo("ORDERED");
        assertThat(factory.getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void aLateCopyForAFailedRequestOpsWereMailedAboutIsDropped() throws Exception {
        MockEndpoint factory = answeringFactory();
        String requestId = failedRequest("FR-MAILED");
        template.send("direct:stock-dlq", exchange -> {
            exchange.getMessage().setHeader("CamelAwsSqsMessageId", java.util.UUID.randomUUID().toString());
            exchange.getMessage().setHeader("RequestId", requestId);
            exchange.getMessage().setHeader("DeadLetterReason", "retries_exhausted");
            exchange.getMessage().setHeader("Retries", "0");
            exchange.getMessage().setHeader("LastError", "The factory answered HTTP 503 to the order.");
            exchange.getMessage().setBody(snsEnvelope(requestId));
        });
        assertThat(getMockEndpoint("mock:ops-mail").getReceivedCounter()).isEqualTo(1);

        Exchange late = deliver(snsEnvelope(requestId));

        assertThat(late.getException()).isNull();
        assertThat(statusOf(requestId)).isEqualTo("FAILED");
        assertThat(db().queryForObject("SELECT retries FROM restock_requests WHERE id = ?", Integer.class, requestId)).isZero();
        assertThat(factory.getReceivedCounter()).isZero();
    }

    @Test
    void aCopyFromAnEarlierRoundIsDroppedEvenBeforeOpsWereMailed() throws Exception {
        MockEndpoint factory = answeringFactory();
        String requestId = failedRequest("FR-OLD-ROUND");
        db().update("UPDATE restock_requests SET retries = 1 WHERE id = ?", requestId);

        deliver(snsEnvelope(requestId, 0));

        assertThat(statusOf(requestId)).isEqualTo("FAILED");
        assertThat(db().queryForObject("SELECT retries FROM restock_requests WHERE id = ?", Integer.class, requestId)).isEqualTo(1);
        assertThat(factory.getReceivedCounter()).isZero();
    }

    /** A request that failed in round 0 and whose failure was not mailed yet. */
    private String failedRequest(String sku) {
        String requestId = stockOutRequest(sku);
        await().atMost(10, TimeUnit.SECONDS).until(() -> "PUBLISHED".equals(statusOf(requestId)));
        db().update("UPDATE restock_requests SET status = 'FAILED', last_error = 'The factory answered HTTP 503 to the order.'"
                + " WHERE id = ?", requestId);
        return requestId;
    }

    private void expireLease(String requestId) {
        db().update("UPDATE restock_requests SET lease_until = TIMESTAMPADD(SECOND, -1, CURRENT_TIMESTAMP(3)) WHERE id = ?", requestId);
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
        return snsEnvelope(requestId, 0);
    }

    static String snsEnvelope(String requestId, int round) throws Exception {
        String message = "{\"requestId\":\"" + requestId + "\",\"sku\":\"any\",\"quantity\":10,\"factoryId\":\"factory_01\",\"retries\":"
                + round + "}";
        return JSON.writeValueAsString(Map.of("Type", "Notification", "MessageId", "m-1", "Message", message,
                "MessageAttributes", Map.of("RequestId", Map.of("Type", "String", "Value", requestId))));
    }
}
