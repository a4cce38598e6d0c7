package e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The factory calls back twice, or somebody forges a callback: stock is added once, or not at all. */
class CallbacksAddStockOnceIT extends PipelineTest {

    CallbacksAddStockOnceIT() {
        super(Map.of("SIMULATOR_DUPLICATE_RATE", "1"));
    }

    @Test
    void aFactoryThatAlwaysCallsBackTwiceRestocksOnceAndAReplayedCallbackChangesNothing() throws Exception {
        assertThat(app.putProduct("E2E-TWICE", 1, 8).status()).isEqualTo(201);
        assertThat(app.order("E2E-TWICE", 1).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> database.stockOf("E2E-TWICE") == 8);
        String requestId = database.jdbc().queryForObject("SELECT id FROM restock_requests WHERE sku = 'E2E-TWICE'", String.class);

        await("the second callback changes nothing").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> database.stockOf("E2E-TWICE") == 8);
        AppProcess.Answer replay = app.post(callbackPath(requestId, sign(requestId)), "{}", null);

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().get("duplicate").asBoolean()).isTrue();
        assertThat(replay.body().get("stock").asInt()).isEqualTo(8);
        assertThat(database.stockOf("E2E-TWICE")).isEqualTo(8);
        assertThat(database.jdbc().queryForObject("SELECT COUNT(*) FROM stock_movements WHERE reason = 'RESTOCK' AND reference = ?",
                Integer.class, requestId)).isEqualTo(1);
    }

    @Test
    void aForgedCallbackAnswers401AndAddsNothing() throws Exception {
        assertThat(app.putProduct("E2E-FORGED", 1, 9).status()).isEqualTo(201);
        assertThat(app.order("E2E-FORGED", 1).status()).isEqualTo(201);
        // Let the real delivery land first, so that nothing else moves the stock during the forgery.
        await().atMost(Duration.ofSeconds(30)).until(() -> database.stockOf("E2E-FORGED") == 9);
        String requestId = database.jdbc().queryForObject("SELECT id FROM restock_requests WHERE sku = 'E2E-FORGED'", String.class);

        AppProcess.Answer forged = app.post(callbackPath(requestId, sign("some-other-request")), "{\"MessageAttributeProductCnt\":\"9999\"}", null);

        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.body().get("error").asText()).isEqualTo("INVALID_SIGNATURE");
        assertThat(database.stockOf("E2E-FORGED")).isEqualTo(9);
        assertThat(database.jdbc().queryForObject("SELECT COUNT(*) FROM stock_movements WHERE reason = 'RESTOCK' AND reference = ?",
                Integer.class, requestId)).isEqualTo(1);
    }

    private static String callbackPath(String requestId, String signature) {
        return "/api/restock?request=" + requestId + "&signature=" + signature;
    }

    private String sign(String requestId) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(app.callbackSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(requestId.getBytes(StandardCharsets.UTF_8)));
    }
}
