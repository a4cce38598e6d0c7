package routes;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rotation in progress (docs/operations.md, "Rotating a secret"): the new secret and token are
 * current and the old ones are set as ADMIN_TOKEN_PREVIOUS and CALLBACK_SECRET_PREVIOUS. A callback
 * signed before the rotation still restocks, an admin client with either token is served, and every
 * CallbackUrl handed to the factory from now on is signed with the new secret. Once the previous
 * values are unset, the old ones are refused.
 */
class SecretRotationTest {

    static final String OLD_SECRET = "local-dev-callback-secret";
    static final String NEW_SECRET = "callback-secret-after-rotation";
    static final String OLD_TOKEN = "admin-token-before-the-rotation";
    /** What RouteTestSupport's admin calls send. */
    static final String NEW_TOKEN = "local-dev-admin-token";
    private static final String FACTORY_BODY = """
            {"MessageGroupId":"stock-arrival-group","MessageAttributeProductId":"x","MessageAttributeProductCnt":"1"}""";

    @Nested
    class WhileThePreviousValuesAreSet extends RouteTestSupport {

        @Override
        protected Map<String, String> extraProperties() {
            return Map.of("security.callback-secret", NEW_SECRET, "security.callback-secret-previous", OLD_SECRET,
                    "security.admin-token-previous", OLD_TOKEN);
        }

        @Test
        void aCallbackSignedBeforeTheRotationStillRestocksOnce() {
            String requestId = stockOutRequest("ROT-1");

            Answer answer = callback(this, requestId, sign(OLD_SECRET, requestId));

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().get("added").asInt()).isEqualTo(10);
            assertThat(stockOf("ROT-1")).isEqualTo(10);
            assertThat(callback(this, requestId, sign(NEW_SECRET, requestId)).body().get("duplicate").asBoolean()).isTrue();
            assertThat(stockOf("ROT-1")).isEqualTo(10);
        }

        @Test
        void theFactoryIsHandedAUrlSignedWithTheNewSecretAndItsCallbackRestocks() throws Exception {
            MockEndpoint factory = getMockEndpoint("mock:factory");
            factory.whenAnyExchangeReceived(exchange -> {
                exchange.getMessage().setBody("{\"data\":{\"data\":{},\"id\":\"job-1\",\"reqestor\":\"donut-states\"}}");
                exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
            });
            String requestId = stockOutRequest("ROT-2");

            template.send("direct:stock-queue", exchange -> {
                exchange.getMessage().setHeader("CamelAwsSqsMessageId", java.util.UUID.randomUUID().toString());
                exchange.getMessage().setBody(FactoryRouteTest.snsEnvelope(requestId));
            });

            JsonNode payload = JSON.readTree(factory.getReceivedExchanges().get(0).getMessage().getBody(String.class));
            URI callbackUrl = URI.create(payload.get("CallbackUrl").asText());
            assertThat(callbackUrl.getQuery()).contains("signature=" + sign(NEW_SECRET, requestId));
            Answer answer = post(callbackUrl.getRawPath() + "?" + callbackUrl.getRawQuery(), FACTORY_BODY, Map.of());
            assertThat(answer.status()).isEqualTo(200);
            assertThat(stockOf("ROT-2")).isEqualTo(10);
        }

        @Test
        void anAdminClientIsServedWithEitherTokenAndRefusedWithAnother() {
            assertThat(get("/api/restock-requests", Map.of("Authorization", "Bearer " + NEW_TOKEN)).status()).isEqualTo(200);
            assertThat(get("/api/restock-requests", Map.of("Authorization", "Bearer " + OLD_TOKEN)).status()).isEqualTo(200);
            Answer other = get("/api/restock-requests", Map.of("Authorization", "Bearer neither-the-old-nor-the-new"));
            assertThat(other.status()).isEqualTo(401);
            assertThat(other.body().get("error").asText()).isEqualTo("UNAUTHORIZED");
        }

        @Test
        void aCallbackSignedWithNeitherSecretIsRefused() {
            String requestId = stockOutRequest("ROT-3");

            Answer forged = callback(this, requestId, sign("a-secret-nobody-configured", requestId));

            assertThat(forged.status()).isEqualTo(401);
            assertThat(forged.body().get("error").asText()).isEqualTo("INVALID_SIGNATURE");
            assertThat(stockOf("ROT-3")).isZero();
        }
    }

    @Nested
    class OnceThePreviousValuesAreUnset extends RouteTestSupport {

        @Override
        protected Map<String, String> extraProperties() {
            return Map.of("security.callback-secret", NEW_SECRET);
        }

        @Test
        void aCallbackSignedWithTheOldSecretIsRefusedAndChangesNothing() {
            String requestId = stockOutRequest("ROT-4");

            Answer old = callback(this, requestId, sign(OLD_SECRET, requestId));

            assertThat(old.status()).isEqualTo(401);
            assertThat(old.body().get("error").asText()).isEqualTo("INVALID_SIGNATURE");
            assertThat(stockOf("ROT-4")).isZero();
            assertThat(callback(this, requestId, sign(NEW_SECRET, requestId)).status()).isEqualTo(200);
        }

        @Test
        void theOldAdminTokenIsRefused() {
            assertThat(get("/api/restock-requests", Map.of("Authorization", "Bearer " + OLD_TOKEN)).status()).isEqualTo(401);
            assertThat(get("/api/restock-requests", Map.of("Authorization", "Bearer " + NEW_TOKEN)).status()).isEqualTo(200);
        }
    }

    private static RouteTestSupport.Answer callback(RouteTestSupport app, String requestId, String signature) {
        return app.post("/api/restock?request=" + requestId + "&signature=" + signature, FACTORY_BODY, Map.of());
    }

    static String sign(String secret, String requestId) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(requestId.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
