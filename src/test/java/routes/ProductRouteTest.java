package routes;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProductRouteTest extends RouteTestSupport {

    private static final String DONUT = """
            {"name":"Boston cream","price":3.10,"stock":12,"factoryId":"factory_02","restockQuantity":24,"reorderPoint":3}""";

    @Test
    void listsTheSeedDonut() {
        Answer answer = get("/api/products");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().isArray()).isTrue();
        assertThat(answer.body().get(0).get("sku").asText()).isEqualTo("CP-502101");
        assertThat(answer.body().get(0).get("restockPending").isBoolean()).isTrue();
    }

    @Test
    void unknownProductAnswers404() {
        Answer answer = get("/api/products/NOPE-1");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body().get("error").asText()).isEqualTo("UNKNOWN_SKU");
    }

    @Test
    void adminCreatesThenUpdatesAProduct() {
        Answer created = put("/api/products/BC-1", DONUT, Map.of("Authorization", ADMIN));
        Answer updated = put("/api/products/BC-1", DONUT.replace("\"stock\":12", "\"stock\":20"), Map.of("Authorization", ADMIN));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("factoryId").asText()).isEqualTo("factory_02");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().get("stock").asInt()).isEqualTo(20);
        assertThat(stockOf("BC-1")).isEqualTo(20);
        assertThat(db().queryForObject("SELECT SUM(delta) FROM stock_movements WHERE sku = 'BC-1'", Integer.class)).isEqualTo(20);
    }

    @Test
    void changingProductsNeedsTheAdminToken() {
        Answer missing = put("/api/products/BC-2", DONUT, Map.of("Content-Type", "application/json"));
        Answer wrong = put("/api/products/BC-2", DONUT, Map.of("Authorization", "Bearer not-the-token"));

        assertThat(missing.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().get("error").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(db().queryForObject("SELECT COUNT(*) FROM products WHERE sku = 'BC-2'", Integer.class)).isZero();
    }

    @Test
    void invalidProductAnswers400AndChangesNothing() {
        Answer answer = put("/api/products/BC-3", DONUT.replace("\"stock\":12", "\"stock\":-1"), Map.of("Authorization", ADMIN));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().get("error").asText()).isEqualTo("INVALID_STOCK");
        assertThat(db().queryForObject("SELECT COUNT(*) FROM products WHERE sku = 'BC-3'", Integer.class)).isZero();
    }
}
