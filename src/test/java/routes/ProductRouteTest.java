package routes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;

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

    /**
     * Following X-Next-Cursor from the first page to the last sees every product there was at the
     * start exactly once, in SKU order, while products are added behind and ahead of the cursor.
     */
    @Test
    void pagesThroughTheWholeCatalogueWhileProductsAreAdded() {
        for (int i = 0; i < 23; i++) {
            insertProduct("PG-%03d".formatted(i));
        }
        List<String> atStart = db().queryForList("SELECT sku FROM products ORDER BY sku", String.class);
        assertThat(atStart).hasSizeGreaterThan(20);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Answer page = get("/api/products?limit=5" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().isArray()).isTrue();
            assertThat(page.body().size()).isBetween(1, 5);
            page.body().forEach(product -> seen.add(product.get("sku").asText()));
            cursor = page.header("X-Next-Cursor");
            if (cursor != null) {
                assertThat(page.body()).hasSize(5);
                assertThat(page.header("Link")).isEqualTo("</api/products?limit=5&cursor=" + cursor + ">; rel=\"next\"");
            } else {
                assertThat(page.header("Link")).as("the last page links nowhere").isNull();
            }
            if (pages == 1) {
                // Behind the cursor, and ahead of it: only the second is still to come.
                insertProduct("AA-LATE");
                insertProduct("ZZ-LATE");
            }
            pages++;
        } while (cursor != null && pages < 50);

        assertThat(seen).as("no product twice").doesNotHaveDuplicates();
        assertThat(seen).as("in SKU order").isSortedAccordingTo(String::compareTo);
        assertThat(seen).as("every product there was at the start").containsAll(atStart);
        assertThat(seen).contains("ZZ-LATE").doesNotContain("AA-LATE");
        assertThat(pages).isEqualTo((atStart.size() + 1 + 4) / 5);
    }

    @Test
    void aPageHolds100UnlessAskedAndAt500() {
        for (int i = 0; i < 120; i++) {
            insertProduct("BULK-%03d".formatted(i));
        }

        Answer first = get("/api/products");
        Answer largest = get("/api/products?limit=500");
        Answer rest = get("/api/products?cursor=" + first.header("X-Next-Cursor"));

        assertThat(first.body()).hasSize(100);
        assertThat(first.header("Link")).startsWith("</api/products?limit=100&cursor=");
        assertThat(largest.body()).hasSize(121);
        assertThat(largest.header("X-Next-Cursor")).isNull();
        assertThat(rest.body()).hasSize(21);
        assertThat(rest.header("X-Next-Cursor")).isNull();
    }

    @Test
    void aBadLimitOrCursorAnswers400() {
        String productsCursor = get("/api/products?limit=1").header("X-Next-Cursor");
        assertThat(productsCursor).as("a cursor, with the seed and one more product").isNull();
        insertProduct("ZZ-1");
        productsCursor = get("/api/products?limit=1").header("X-Next-Cursor");
        assertThat(productsCursor).isNotNull();

        for (String limit : List.of("0", "501", "-1", "ten", "1.5", "")) {
            Answer answer = get("/api/products?limit=" + limit);
            assertThat(answer.status()).as("limit=" + limit).isEqualTo(400);
            assertThat(answer.body().get("error").asText()).isEqualTo("INVALID_LIMIT");
            assertThat(answer.body().get("message").asText()).isEqualTo("'limit' must be a whole number from 1 to 500.");
        }
        String restockCursor = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("restock-requests:x".getBytes());
        for (String cursor : List.of("!!", "not%20base64", restockCursor, productsCursor.substring(1), "x".repeat(201), "")) {
            Answer answer = get("/api/products?cursor=" + cursor);
            assertThat(answer.status()).as("cursor=" + cursor).isEqualTo(400);
            assertThat(answer.body().get("error").asText()).isEqualTo("INVALID_CURSOR");
        }
        Answer twice = get("/api/products?limit=1&limit=2");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.body().get("error").asText()).isEqualTo("DUPLICATE_PARAMETER");
    }

    @Test
    void aCreationTheDatabaseRollsBackAsADeadlockVictimAnswers503AndLeavesNoProduct() throws Exception {
        advise("save-product", route -> route
                .weaveByToUri("sql:classpath:sql/products/record-initial-stock.sql*").after()
                .throwException(new CannotAcquireLockException("Deadlock found when trying to get lock; try restarting transaction")));

        Answer refused = put("/api/products/BC-D2", DONUT, Map.of("Authorization", ADMIN));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body().get("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(db().queryForObject("SELECT COUNT(*) FROM products WHERE sku = 'BC-D2'", Integer.class)).isZero();
        assertThat(db().queryForObject("SELECT COUNT(*) FROM stock_movements WHERE sku = 'BC-D2'", Integer.class)).isZero();
    }

    @Test
    void aProductAnotherAdminCreatesMeanwhileAnswers503AndKeepsTheirs() throws Exception {
        // The other admin's creation commits after this one found no row and before it inserts; on a
        // thread of its own, outside this request's transaction.
        advise("save-product", route -> route
                .weaveByToUri("sql:classpath:sql/products/lock-stock.sql*").after()
                .process(exchange -> CompletableFuture.runAsync(() -> insertProduct("BC-D3")).get()));

        Answer refused = put("/api/products/BC-D3", DONUT, Map.of("Authorization", ADMIN));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body().get("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(refused.body().get("message").asText()).contains("creating this product at the same moment");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(stockOf("BC-D3")).isEqualTo(5);
        assertThat(db().queryForObject("SELECT COUNT(*) FROM stock_movements WHERE sku = 'BC-D3'", Integer.class)).isZero();
    }

    private void insertProduct(String sku) {
        db().update("INSERT INTO products (sku, name, price, stock, factory_id, restock_quantity) VALUES (?, ?, 1.00, 5, 'factory_01', 10)",
                sku, "Paged " + sku);
    }
}
