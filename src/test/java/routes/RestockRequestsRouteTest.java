package routes;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RestockRequestsRouteTest extends RouteTestSupport {

    @Test
    void theRequestAStockOutOpenedIsListedNewestFirstWithItsState() {
        product("RR-1", 0, 0);
        product("RR-2", 0, 0);
        order("{\"sku\":\"RR-1\",\"quantity\":1}", null);
        order("{\"sku\":\"RR-2\",\"quantity\":1}", null);

        await().atMost(10, TimeUnit.SECONDS).until(() -> admin("/api/restock-requests?status=PUBLISHED").body().size() == 2);
        Answer answer = admin("/api/restock-requests");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).hasSize(2);
        JsonNode newest = answer.body().get(0);
        assertThat(newest.get("sku").asText()).isEqualTo("RR-2");
        assertThat(newest.get("quantity").asInt()).isEqualTo(10);
        assertThat(newest.get("status").asText()).isEqualTo("PUBLISHED");
        assertThat(newest.fieldNames()).toIterable().containsExactly(
                "id", "sku", "quantity", "status", "attempts", "lastError", "factoryJobId", "createdAt", "updatedAt");
        assertThat(newest.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void theStatusFilterKeepsOnlyThatStatus() {
        product("RR-3", 0, 0);
        order("{\"sku\":\"RR-3\",\"quantity\":1}", null);
        await().atMost(10, TimeUnit.SECONDS).until(() -> admin("/api/restock-requests?status=published").body().size() == 1);

        assertThat(admin("/api/restock-requests?status=FULFILLED").body()).isEmpty();
    }

    @Test
    void anUnknownStatusAnswers400() {
        Answer answer = admin("/api/restock-requests?status=LOST");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("error").asText()).isEqualTo("INVALID_STATUS");
    }

    @Test
    void listingNeedsTheAdminToken() {
        Answer answer = get("/api/restock-requests");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body().get("error").asText()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void aFailedRequestRetriedByTheAdminIsPublishedAgainUnderTheSameId() {
        String requestId = stockOutRequest("RR-4");
        await().atMost(10, TimeUnit.SECONDS).until(() -> "PUBLISHED".equals(statusOf(requestId)));
        db().update("UPDATE restock_requests SET status = 'FAILED' WHERE id = ?", requestId);
        int publishedBefore = getMockEndpoint("mock:stock-topic").getReceivedCounter();

        Answer retried = post("/api/restock-requests/" + requestId + "/retry", null, Map.of("Authorization", ADMIN));

        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.body().get("status").asText()).isEqualTo("REQUESTED");
        await().atMost(10, TimeUnit.SECONDS).until(() -> "PUBLISHED".equals(statusOf(requestId)));
        assertThat(getMockEndpoint("mock:stock-topic").getReceivedCounter()).isEqualTo(publishedBefore + 1);
        assertThat(getMockEndpoint("mock:stock-topic").getReceivedExchanges().get(publishedBefore).getMessage().getHeader("RequestId"))
                .isEqualTo(requestId);
    }

    @Test
    void onlyAFailedRequestCanBeRetried() {
        String requestId = stockOutRequest("RR-5");

        Answer refused = post("/api/restock-requests/" + requestId + "/retry", null, Map.of("Authorization", ADMIN));
        Answer unknown = post("/api/restock-requests/nope/retry", null, Map.of("Authorization", ADMIN));
        Answer anonymous = post("/api/restock-requests/" + requestId + "/retry", null, Map.of());

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("error").asText()).isEqualTo("NOT_FAILED");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(anonymous.status()).isEqualTo(401);
    }

    private Answer admin(String path) {
        return get(path, Map.of("Authorization", ADMIN));
    }
}
