package routes;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestockRouteTest extends RouteTestSupport {

    private static final String FACTORY_BODY = """
            {"MessageGroupId":"stock-arrival-group","MessageAttributeProductId":"RS-1","MessageAttributeProductCnt":"999"}""";

    @Test
    void aSignedCallbackAddsTheStoredQuantityOnceAndClosesTheRequest() {
        String requestId = stockOutRequest("RS-1");

        Answer answer = callback(requestId, signature(requestId));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("sku").asText()).isEqualTo("RS-1");
        assertThat(answer.body().get("added").asInt()).as("from the stored request, not the body's 999").isEqualTo(10);
        assertThat(answer.body().get("stock").asInt()).isEqualTo(10);
        assertThat(answer.body().has("duplicate")).isFalse();
        assertThat(stockOf("RS-1")).isEqualTo(10);
        assertThat(statusOf(requestId)).isEqualTo("FULFILLED");
        assertThat(db().queryForObject("SELECT SUM(delta) FROM stock_movements WHERE sku = 'RS-1' AND reason = 'RESTOCK' AND reference = ?",
                Integer.class, requestId)).isEqualTo(10);
    }

    @Test
    void aRepeatedCallbackAnswersDuplicateAndChangesNothing() {
        String requestId = stockOutRequest("RS-2");
        callback(requestId, signature(requestId));

        Answer repeat = callback(requestId, signature(requestId));

        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.body().get("duplicate").asBoolean()).isTrue();
        assertThat(repeat.body().get("added").asInt()).isZero();
        assertThat(repeat.body().get("stock").asInt()).isEqualTo(10);
        assertThat(stockOf("RS-2")).isEqualTo(10);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM stock_movements WHERE reason = 'RESTOCK' AND reference = ?",
                Integer.class, requestId)).isEqualTo(1);
    }

    @Test
    void aForgedSignatureAnswers401AndChangesNothing() {
        String requestId = stockOutRequest("RS-3");

        Answer forged = callback(requestId, signature("another-request"));

        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.body().get("error").asText()).isEqualTo("INVALID_SIGNATURE");
        assertThat(stockOf("RS-3")).isZero();
        assertThat(statusOf(requestId)).isNotEqualTo("FULFILLED");
    }

    @Test
    void aMalformedCallbackAnswers400() {
        String requestId = stockOutRequest("RS-4");

        assertThat(post("/api/restock?request=" + requestId, FACTORY_BODY, Map.of()).status()).isEqualTo(400);
        assertThat(post("/api/restock?signature=" + signature(requestId), FACTORY_BODY, Map.of()).status()).isEqualTo(400);
        Answer notHex = callback(requestId, "zz" + signature(requestId).substring(2));
        assertThat(notHex.status()).isEqualTo(400);
        assertThat(notHex.body().get("error").asText()).isEqualTo("INVALID_CALLBACK");
        assertThat(stockOf("RS-4")).isZero();
    }

    @Test
    void aSignedCallbackForAnUnknownRequestAnswers404() {
        Answer answer = callback("no-such-request", signature("no-such-request"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body().get("error").asText()).isEqualTo("UNKNOWN_REQUEST");
    }

    @Test
    void afterADeliveryTheNextStockOutOpensANewRequest() {
        String first = stockOutRequest("RS-5");
        callback(first, signature(first));
        for (int i = 0; i < 10; i++) {
            assertThat(order("{\"sku\":\"RS-5\",\"quantity\":1}", null).status()).isEqualTo(201);
        }

        assertThat(order("{\"sku\":\"RS-5\",\"quantity\":1}", null).status()).isEqualTo(409);

        // The outbox may already have published the new one.
        assertThat(db().queryForList("SELECT status FROM restock_requests WHERE sku = 'RS-5' ORDER BY created_at", String.class))
                .hasSize(2).first().isEqualTo("FULFILLED");
        assertThat(db().queryForObject("SELECT status FROM restock_requests WHERE sku = 'RS-5' AND status <> 'FULFILLED'", String.class))
                .isIn("REQUESTED", "PUBLISHED");
    }

    private Answer callback(String requestId, String signature) {
        return post("/api/restock?request=" + requestId + "&signature=" + signature, FACTORY_BODY, Map.of());
    }
}
