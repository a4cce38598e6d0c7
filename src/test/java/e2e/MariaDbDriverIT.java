package e2e;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DB_URL as jdbc:mariadb:, which deploy/README.md allows and StartupChecks accepts: the app
 * migrates the schema, sells, sells out and restocks through MariaDB's own driver (MySQL's
 * driver takes only jdbc:mysql: URLs, so this URL reaches no other).
 */
class MariaDbDriverIT extends PipelineTest {

    MariaDbDriverIT() {
        super(database -> Map.of("DB_URL", database.url().replaceFirst("^jdbc:mysql:", "jdbc:mariadb:")));
    }

    @Test
    void aSaleAndARestockCycleGoThroughTheMariaDbDriver() {
        assertThat(app.putProduct("E2E-MARIADB", 2, 6).status()).isEqualTo(201);

        AppProcess.Answer sold = app.order("E2E-MARIADB", 2);
        assertThat(sold.status()).isEqualTo(201);
        assertThat(sold.body().get("remainingStock").asInt()).isZero();
        AppProcess.Answer soldOut = app.order("E2E-MARIADB", 1);
        assertThat(soldOut.status()).isEqualTo(409);
        assertThat(soldOut.body().get("restockRequested").asBoolean()).isTrue();

        await("stock back").atMost(Duration.ofSeconds(30)).until(() -> database.stockOf("E2E-MARIADB") == 6);
        var request = app.admin("/api/restock-requests?status=FULFILLED").body().get(0);
        assertThat(request.get("sku").asText()).isEqualTo("E2E-MARIADB");
        assertThat(request.get("quantity").asInt()).isEqualTo(6);
        assertThat(request.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        AppProcess.Answer next = app.order("E2E-MARIADB", 1);
        assertThat(next.status()).isEqualTo(201);
        assertThat(next.body().get("remainingStock").asInt()).isEqualTo(5);
        assertThat(app.get("/api/products/E2E-MARIADB").body().get("restockPending").asBoolean()).isFalse();
        assertThat(mail.received()).isEmpty();
    }
}
