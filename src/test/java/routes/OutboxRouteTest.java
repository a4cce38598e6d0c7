package routes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OutboxRouteTest extends RouteTestSupport {

    @Test
    void aStockOutIsPublishedFromTheStoredRequestWithItsAttributesAndMarkedPublished() throws Exception {
        product("PB-1", 0, 0);
        MockEndpoint topic = getMockEndpoint("mock:stock-topic");

        order("{\"sku\":\"PB-1\",\"quantity\":1}", null);
        String requestId = db().queryForObject("SELECT id FROM restock_requests WHERE sku = 'PB-1'", String.class);

        await().atMost(10, TimeUnit.SECONDS).until(() -> "PUBLISHED".equals(statusOf(requestId)));
        assertThat(topic.getReceivedExchanges()).hasSize(1);
        Exchange published = topic.getReceivedExchanges().get(0);
        assertThat(published.getMessage().getHeader("ProductId")).isEqualTo("PB-1");
        assertThat(published.getMessage().getHeader("FactoryId")).isEqualTo("factory_01");
        assertThat(published.getMessage().getHeader("RequestId")).isEqualTo(requestId);
        JsonNode body = JSON.readTree(published.getMessage().getBody(String.class));
        assertThat(body.get("requestId").asText()).isEqualTo(requestId);
        assertThat(body.get("sku").asText()).isEqualTo("PB-1");
        assertThat(body.get("quantity").asInt()).isEqualTo(10);
        assertThat(published.getMessage().getHeaders()).doesNotContainKeys("Content-Type", "Authorization");
    }

    @Test
    void aPublishRejectedBySnsStaysRequestedWithTheErrorAndIsPublishedAgainWithTheSameId() throws Exception {
        MockEndpoint topic = getMockEndpoint("mock:stock-topic");
        topic.whenExchangeReceived(1, exchange -> {
            throw SdkClientException.create("Unable to execute HTTP request: Connect to 127.0.0.1:4566 failed: Connection refused");
        });
        product("PB-2", 0, 0);

        Answer refused = order("{\"sku\":\"PB-2\",\"quantity\":1}", null);
        assertThat(refused.status()).isEqualTo(409);
        String requestId = db().queryForObject("SELECT id FROM restock_requests WHERE sku = 'PB-2'", String.class);

        await().atMost(10, TimeUnit.SECONDS).until(() -> db().queryForObject(
                "SELECT publish_attempts FROM restock_requests WHERE id = ?", Integer.class, requestId) == 1);
        assertThat(statusOf(requestId)).isEqualTo("REQUESTED");
        assertThat(db().queryForObject("SELECT last_error FROM restock_requests WHERE id = ?", String.class, requestId))
                .as("what ops read: a sentence, no internal address").isEqualTo("SNS could not be reached.");

        await().atMost(15, TimeUnit.SECONDS).until(() -> "PUBLISHED".equals(statusOf(requestId)));
        assertThat(topic.getReceivedExchanges()).hasSize(2);
        assertThat(topic.getReceivedExchanges()).allSatisfy(
                exchange -> assertThat(exchange.getMessage().getHeader("RequestId")).isEqualTo(requestId));
        assertThat(db().queryForObject("SELECT last_error FROM restock_requests WHERE id = ?", String.class, requestId)).isNull();
    }

    @Test
    void twoReplicasPollingTheSameRowsPublishEachRequestOnce() throws Exception {
        MockEndpoint topic = getMockEndpoint("mock:stock-topic");
        context.getRouteController().stopRoute("outbox");
        List<String> requestIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requestIds.add(stockOutRequest("PB-R" + i));
        }
        // A second replica's outbox: the same route on the same database, started with the first,
        // so that both read the same twenty rows in the same poll.
        context.addRoutes(new OutboxRoute() {
            @Override
            public void configure() {
                super.configure();
                RouteDefinition route = getRouteCollection().getRoutes().get(0);
                route.setId("outbox-of-another-replica");
                // One endpoint takes one consumer: the same query, spelled with its default initial delay.
                route.getInput().setUri(route.getInput().getEndpointUri() + "&initialDelay=1000");
            }
        });
        context.getRouteController().startRoute("outbox");

        await().atMost(10, TimeUnit.SECONDS).until(() -> requestIds.stream().allMatch(id -> "PUBLISHED".equals(statusOf(id))));
        await().during(1, TimeUnit.SECONDS).atMost(3, TimeUnit.SECONDS).until(() -> topic.getReceivedCounter() == 20);
        assertThat(topic.getReceivedExchanges())
                .extracting(exchange -> exchange.getMessage().getHeader("RequestId", String.class))
                .containsExactlyInAnyOrderElementsOf(requestIds);
        assertThat(scrape()).containsEntry("donut_restock_published_total", 20.0);
    }

    @Test
    void salesKeepAnsweringWhileSnsIsDown() throws Exception {
        MockEndpoint topic = getMockEndpoint("mock:stock-topic");
        topic.whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("SNS is unavailable");
        });
        product("PB-3", 3, 0);

        for (int i = 0; i < 3; i++) {
            assertThat(order("{\"sku\":\"PB-3\",\"quantity\":1}", null).status()).isEqualTo(201);
        }
        assertThat(order("{\"sku\":\"PB-3\",\"quantity\":1}", null).status()).isEqualTo(409);
        assertThat(order("{\"sku\":\"CP-502101\",\"quantity\":1}", null).status()).isEqualTo(201);
    }
}
