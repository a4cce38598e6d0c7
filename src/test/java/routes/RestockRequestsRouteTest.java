package routes;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

    /**
     * Following X-Next-Cursor from the first page to the last sees every request there was at the
     * start exactly once, newest first, while stock-outs add newer requests; requests created in
     * the same millisecond are ordered by id, so none falls between two pages.
     */
    @Test
    void pagesThroughEveryRequestNewestFirstWhileRequestsAreAdded() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 30; i++) {
            // Three requests share each millisecond.
            insertRequest("PAGE-" + (i % 4), "FULFILLED", start.plusMillis(i / 3));
        }
        List<String> atStart = db().queryForList("SELECT id FROM restock_requests ORDER BY created_at DESC, id DESC", String.class);

        List<String> seen = new ArrayList<>();
        List<Instant> created = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Answer page = admin("/api/restock-requests?limit=4" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            page.body().forEach(request -> {
                seen.add(request.get("id").asText());
                created.add(Instant.parse(request.get("createdAt").asText()));
            });
            cursor = page.header("X-Next-Cursor");
            if (cursor != null) {
                assertThat(page.body()).hasSize(4);
                assertThat(page.header("Link")).isEqualTo("</api/restock-requests?limit=4&cursor=" + cursor + ">; rel=\"next\"");
            }
            if (pages == 2) {
                String newer = stockOutRequest("PAGE-NEW");
                assertThat(newer).isNotBlank();
            }
            pages++;
        } while (cursor != null && pages < 50);

        assertThat(seen).as("no request twice").doesNotHaveDuplicates();
        assertThat(seen).as("every request there was at the start, in the list's order").containsExactlyElementsOf(atStart);
        assertThat(created).as("newest first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(pages).isEqualTo(8);
        assertThat(admin("/api/restock-requests?limit=1").body().get(0).get("sku").asText())
                .as("the request created while paging is first on a new pass").isEqualTo("PAGE-NEW");
    }

    /** The list no longer stops at 500 rows: every request is reachable, in pages of at most 500. */
    @Test
    void moreThan500RequestsAreAllReachable() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 620; i++) {
            insertRequest("MANY-" + (i % 7), "FULFILLED", start.plusSeconds(i));
        }

        Answer first = admin("/api/restock-requests?limit=500");
        Answer second = admin("/api/restock-requests?limit=500&cursor=" + first.header("X-Next-Cursor"));

        assertThat(first.body()).hasSize(500);
        assertThat(second.body()).hasSize(120);
        assertThat(second.header("X-Next-Cursor")).isNull();
        assertThat(second.header("Link")).isNull();
    }

    @Test
    void theFiltersNarrowThePagesAndTravelInTheirLinks() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 9; i++) {
            insertRequest("FLT-" + (i % 3), "FULFILLED", start.plusSeconds(i));
        }
        db().update("UPDATE restock_requests SET status = 'FAILED' WHERE sku = 'FLT-1' AND created_at = ?",
                Timestamp.from(start.plusSeconds(7)));

        Answer firstOfSku = admin("/api/restock-requests?sku=FLT-1&limit=2");
        Answer restOfSku = admin("/api/restock-requests?sku=FLT-1&limit=2&cursor=" + firstOfSku.header("X-Next-Cursor"));
        Answer failed = admin("/api/restock-requests?status=failed&sku=FLT-1");
        Answer noneOfThat = admin("/api/restock-requests?status=FAILED&sku=FLT-2");

        assertThat(firstOfSku.body()).hasSize(2);
        assertThat(firstOfSku.header("Link")).isEqualTo("</api/restock-requests?sku=FLT-1&limit=2&cursor="
                + firstOfSku.header("X-Next-Cursor") + ">; rel=\"next\"");
        assertThat(restOfSku.body()).hasSize(1);
        List<String> skus = new ArrayList<>();
        firstOfSku.body().forEach(request -> skus.add(request.get("sku").asText()));
        restOfSku.body().forEach(request -> skus.add(request.get("sku").asText()));
        assertThat(skus).containsOnly("FLT-1").hasSize(3);
        assertThat(failed.body()).hasSize(1);
        assertThat(failed.body().get(0).get("status").asText()).isEqualTo("FAILED");
        assertThat(noneOfThat.body()).isEmpty();
        assertThat(noneOfThat.header("X-Next-Cursor")).isNull();
    }

    @Test
    void aBadSkuLimitOrCursorAnswers400() {
        insertRequest("BAD-1", "FULFILLED", Instant.parse("2026-01-01T00:00:00Z"));
        insertRequest("BAD-1", "FULFILLED", Instant.parse("2026-01-01T00:00:01Z"));
        String productsCursor = Base64.getUrlEncoder().withoutPadding().encodeToString("products:BAD-1".getBytes());
        String nobodysCursor = Base64.getUrlEncoder().withoutPadding().encodeToString("restock-requests:no-such-request".getBytes());

        Map<String, String> refusals = Map.of(
                "/api/restock-requests?sku=x'--", "INVALID_SKU",
                "/api/restock-requests?limit=0", "INVALID_LIMIT",
                "/api/restock-requests?limit=501", "INVALID_LIMIT",
                "/api/restock-requests?cursor=%25%25", "INVALID_CURSOR",
                "/api/restock-requests?cursor=" + productsCursor, "INVALID_CURSOR",
                "/api/restock-requests?cursor=" + nobodysCursor, "INVALID_CURSOR",
                "/api/restock-requests?sku=BAD-1&sku=BAD-2", "DUPLICATE_PARAMETER");
        refusals.forEach((path, code) -> {
            Answer answer = admin(path);
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.body().get("error").asText()).as(path).isEqualTo(code);
            assertThat(answer.body().get("message").asText()).as(path).isNotBlank();
        });
        assertThat(admin("/api/restock-requests?limit=1").header("X-Next-Cursor")).as("a good cursor still works").isNotNull();
    }

    private void insertRequest(String sku, String status, Instant createdAt) {
        db().update("INSERT INTO products (sku, name, price, stock, factory_id, restock_quantity) SELECT ?, 'Paged', 1.00, 5, 'factory_01', 10"
                + " FROM (SELECT 1 AS one) x WHERE NOT EXISTS (SELECT 1 FROM products WHERE sku = ?)", sku, sku);
        db().update("INSERT INTO restock_requests (id, sku, factory_id, quantity, status, created_at, updated_at) VALUES (?, ?, 'factory_01', 10, ?, ?, ?)",
                UUID.randomUUID().toString(), sku, status, Timestamp.from(createdAt), Timestamp.from(createdAt));
    }
}
