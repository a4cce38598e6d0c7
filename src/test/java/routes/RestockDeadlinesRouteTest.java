package routes;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The publish deadline: a PUBLISHED request that no factory consumer took by its deadline is
 * published again with the same id, while nothing else waits on stock-queue (or at once, if the
 * consumer that took it stopped); after RESTOCK_REPUBLISH_ATTEMPTS such tries it is dead-lettered
 * and ops get one email. The deadline itself is moved into the past here: its length is not what
 * these tests are about (the end-to-end LostRestockMessageIT runs on the production value).
 */
class RestockDeadlinesRouteTest extends RouteTestSupport {

    @Test
    void aRequestNobodyTookIsPublishedAgainWithTheSameIdOnceNothingWaitsOnTheQueue() throws Exception {
        MockEndpoint topic = getMockEndpoint("mock:stock-topic");
        queueHolds(0);
        String requestId = publishedRequest("DL-1");

        pastItsDeadline(requestId);

        await().atMost(10, TimeUnit.SECONDS).until(() -> publishesOf(requestId) == 2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> "PUBLISHED".equals(statusOf(requestId)));
        assertThat(db().queryForObject("SELECT republishes FROM restock_requests WHERE id = ?", Integer.class, requestId)).isEqualTo(1);
        assertThat(topic.getReceivedExchanges()).filteredOn(published -> requestId.equals(published.getMessage().getHeader("RequestId")))
                .allSatisfy(published -> assertThat(published.getMessage().getBody(String.class)).contains("\"requestId\":\"" + requestId + "\""));
        assertThat(scrape()).containsEntry("donut_restock_republished_total", 1.0);
    }

    @Test
    void whileMessagesWaitOnTheQueueARequestNobodyTookYetIsLeftToThem() throws Exception {
        queueHolds(3);
        String requestId = publishedRequest("DL-2");
        NotifyBuilder sweeps = new NotifyBuilder(context).fromRoute("publish-deadline").whenDone(3).create();

        pastItsDeadline(requestId);

        assertThat(sweeps.matches(10, TimeUnit.SECONDS)).as("three sweeps").isTrue();
        assertThat(statusOf(requestId)).isEqualTo("PUBLISHED");
        assertThat(publishesOf(requestId)).isEqualTo(1);
    }

    @Test
    void aRequestWhoseConsumerStoppedHoldingItsLeaseIsPublishedAgainEvenBehindABacklog() throws Exception {
        queueHolds(3);
        String requestId = publishedRequest("DL-3");

        db().update("UPDATE restock_requests SET lease_until = TIMESTAMPADD(SECOND, -1, CURRENT_TIMESTAMP(3)) WHERE id = ?", requestId);

        await().atMost(10, TimeUnit.SECONDS).until(() -> publishesOf(requestId) == 2);
    }

    @Test
    void afterItsRepublishAttemptsTheRequestIsDeadLetteredOnceAndFailsWithOneEmail() throws Exception {
        queueHolds(0);
        MockEndpoint dlq = getMockEndpoint("mock:stock-dlq");
        String requestId = publishedRequest("DL-4");
        for (int republish = 1; republish <= 3; republish++) {
            pastItsDeadline(requestId);
            int publishes = republish + 1;
            await().atMost(10, TimeUnit.SECONDS).until(() -> publishesOf(requestId) == publishes && "PUBLISHED".equals(statusOf(requestId)));
        }

        pastItsDeadline(requestId);

        await().atMost(10, TimeUnit.SECONDS).until(() -> dlq.getReceivedCounter() == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> dlq.getReceivedCounter() == 1);
        Exchange deadLetter = dlq.getReceivedExchanges().get(0);
        assertThat(deadLetter.getMessage().getHeaders()).containsEntry("RequestId", requestId)
                .containsEntry("DeadLetterReason", "not_picked_up").containsEntry("Retries", "0");
        assertThat(deadLetter.getMessage().getHeader("LastError", String.class)).contains("Published 4 times");
        assertThat(publishesOf(requestId)).isEqualTo(4);
        assertThat(scrape()).containsEntry("donut_restock_republished_total", 3.0)
                .containsEntry("donut_dead_letters_total{reason=\"not_picked_up\"}", 1.0);

        template.send("direct:stock-dlq", exchange -> {
            exchange.getMessage().setHeaders(new java.util.HashMap<>(deadLetter.getMessage().getHeaders()));
            exchange.getMessage().setHeader("CamelAwsSqsMessageId", java.util.UUID.randomUUID().toString());
            exchange.getMessage().setBody(deadLetter.getMessage().getBody(String.class));
        });
        assertThat(statusOf(requestId)).isEqualTo("FAILED");
        assertThat(getMockEndpoint("mock:ops-mail").getReceivedExchanges()).singleElement()
                .satisfies(mail -> assertThat(mail.getMessage().getBody(String.class))
                        .contains("Request id:  " + requestId).contains("no factory consumer took it"));
    }

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("restock.republish-attempts", "3");
    }

    private void queueHolds(int messages) {
        getMockEndpoint("mock:stock-queue-backlog").whenAnyExchangeReceived(exchange -> exchange.getMessage().setBody(messages));
    }

    private String publishedRequest(String sku) {
        String requestId = stockOutRequest(sku);
        await().atMost(10, TimeUnit.SECONDS).until(() -> "PUBLISHED".equals(statusOf(requestId)));
        return requestId;
    }

    private void pastItsDeadline(String requestId) {
        db().update("UPDATE restock_requests SET claim_by = TIMESTAMPADD(SECOND, -1, CURRENT_TIMESTAMP(3)) WHERE id = ?", requestId);
    }

    private long publishesOf(String requestId) {
        return getMockEndpoint("mock:stock-topic").getReceivedExchanges().stream()
                .filter(published -> requestId.equals(published.getMessage().getHeader("RequestId"))).count();
    }
}
