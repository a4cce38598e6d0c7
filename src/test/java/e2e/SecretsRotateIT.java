package e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The callback secret and the admin token rotate as docs/operations.md ("Rotating a secret") says,
 * with nothing failing: a restock the factory took before the rotation is called back after it, on
 * its old URL, and restocks; an admin client is served by every replica with either token while the
 * rotation rolls out; once the previous values are unset, the old ones are refused.
 */
class SecretsRotateIT {

    private static final String OLD_SECRET = "e2e-callback-secret-0123456789";
    private static final String NEW_SECRET = "e2e-callback-secret-after-rotation";
    private static final String OLD_TOKEN = ApiClient.ADMIN_TOKEN;
    private static final String NEW_TOKEN = "e2e-admin-token-after-rotation";

    private final Database database = Database.newSchema();
    private final MailServer mail = new MailServer().start();
    // The factory in a process of its own, so that what it was ordered outlasts the app's restart;
    // it delivers 5 s after an order and tries a refused callback again for a minute.
    private final AppProcess factory = AppProcess.standaloneFactory().with("SIMULATOR_DELAY_MS", "5000");
    private AppProcess app;
    private AppProcess replica;

    @AfterEach
    void stop() {
        for (AppProcess process : new AppProcess[] {replica, app, factory}) {
            if (process != null) {
                process.close();
            }
        }
        mail.close();
    }

    @Test
    void aRestockOrderedBeforeTheCallbackSecretRotatesIsDeliveredAfterItAndItsUrlIsRefusedOnceThePreviousSecretIsUnset() {
        factory.start();
        app = new AppProcess(database, Emulator.shared(), mail);
        factory.asFactoryOf(Map.of("CALLBACK_SECRET", OLD_SECRET)).forEach(app::with);
        app.start();
        assertThat(app.putProduct("E2E-ROTATE", 1, 7).status()).isEqualTo(201);

        assertThat(app.order("E2E-ROTATE", 1).status()).isEqualTo(201);
        String requestId = database.jdbc().queryForObject("SELECT id FROM restock_requests WHERE sku = 'E2E-ROTATE'", String.class);
        await("the factory ordered").atMost(Duration.ofSeconds(30)).until(() -> "ORDERED".equals(statusOf(requestId)));

        app.restartWith(Map.of("CALLBACK_SECRET", NEW_SECRET, "CALLBACK_SECRET_PREVIOUS", OLD_SECRET));
        await("the callback signed before the rotation restocked").atMost(Duration.ofSeconds(60))
                .until(() -> "FULFILLED".equals(statusOf(requestId)));
        assertThat(database.stockOf("E2E-ROTATE")).isEqualTo(7);
        assertThat(mail.received()).as("alerts").isEmpty();

        app.restartWith(Map.of("CALLBACK_SECRET_PREVIOUS", ""));
        ApiClient.Answer replay = app.post("/api/restock?request=" + requestId + "&signature=" + sign(OLD_SECRET, requestId),
                "{\"MessageGroupId\":\"stock-arrival-group\",\"MessageAttributeProductId\":\"E2E-ROTATE\",\"MessageAttributeProductCnt\":\"7\"}", null);
        assertThat(replay.status()).as("the old URL, once the previous secret is unset").isEqualTo(401);
        assertThat(replay.body().get("error").asText()).isEqualTo("INVALID_SIGNATURE");
        ApiClient.Answer current = app.post("/api/restock?request=" + requestId + "&signature=" + sign(NEW_SECRET, requestId),
                "{\"MessageGroupId\":\"stock-arrival-group\",\"MessageAttributeProductId\":\"E2E-ROTATE\",\"MessageAttributeProductCnt\":\"7\"}", null);
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.body().get("duplicate").asBoolean()).isTrue();
        assertThat(database.stockOf("E2E-ROTATE")).isEqualTo(7);
    }

    @Test
    void anAdminClientIsServedByEveryReplicaWithEitherTokenWhileTheRotationRollsOutAndTheOldOneIsRefusedAfter() {
        // Step 1 has rolled out (every replica knows the new token as the previous one); step 2 is
        // rolling: one replica has the new token as current, the other not yet.
        app = new AppProcess(database, Emulator.shared(), mail).with("ADMIN_TOKEN", OLD_TOKEN).with("ADMIN_TOKEN_PREVIOUS", NEW_TOKEN)
                .start();
        replica = app.replica().with("ADMIN_TOKEN", NEW_TOKEN).with("ADMIN_TOKEN_PREVIOUS", OLD_TOKEN).start();

        for (AppProcess instance : new AppProcess[] {app, replica}) {
            for (String token : new String[] {OLD_TOKEN, NEW_TOKEN}) {
                assertThat(adminCall(instance, token)).as("port %d with %s", instance.port(), token).isEqualTo(200);
            }
            assertThat(adminCall(instance, "neither-the-old-nor-the-new-token")).isEqualTo(401);
        }

        // Step 3: the previous token is unset everywhere.
        app.restartWith(Map.of("ADMIN_TOKEN", NEW_TOKEN, "ADMIN_TOKEN_PREVIOUS", ""));
        replica.restartWith(Map.of("ADMIN_TOKEN_PREVIOUS", ""));
        for (AppProcess instance : new AppProcess[] {app, replica}) {
            assertThat(adminCall(instance, OLD_TOKEN)).as("the old token on port %d", instance.port()).isEqualTo(401);
            assertThat(adminCall(instance, NEW_TOKEN)).isEqualTo(200);
        }
    }

    private static int adminCall(AppProcess instance, String token) {
        return ApiClient.send(instance.request("/api/restock-requests").header("Authorization", "Bearer " + token).GET()).status();
    }

    private String statusOf(String requestId) {
        return database.jdbc().queryForObject("SELECT status FROM restock_requests WHERE id = ?", String.class, requestId);
    }

    private static String sign(String secret, String requestId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(requestId.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
