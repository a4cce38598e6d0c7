package e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admins (or a seeding script) creating products side by side on MariaDB. New SKUs that sort next
 * to each other fall into one gap of the products' key, where a locking read of a missing row
 * would lock the gap and two creations could deadlock each other.
 */
class ProductsCreatedSideBySideIT extends PipelineTest {

    private static final int ADMINS = 8;
    private static final int PRODUCTS = 160;

    ProductsCreatedSideBySideIT() {
        super(Map.of("FACTORY_ROUTE_ENABLED", "false"));
    }

    @Test
    void newProductsCreatedAtOnceAreAllCreatedWithTheirStock() throws Exception {
        List<Integer> order = new ArrayList<>(IntStream.range(0, PRODUCTS).boxed().toList());
        Collections.shuffle(order);

        List<ApiClient.Answer> answers = all(order.stream()
                .map(i -> (Callable<ApiClient.Answer>) () -> app.putProduct(sku(i), 10 + i, 6)).toList());

        assertThat(answers).extracting(ApiClient.Answer::status).containsOnly(201);
        for (int i = 0; i < PRODUCTS; i++) {
            assertThat(database.stockOf(sku(i))).isEqualTo(10 + i);
        }
        assertThat(database.jdbc().queryForObject(
                "SELECT COUNT(*) FROM stock_movements WHERE sku LIKE 'SIDE-BY-SIDE-%'", Integer.class)).isEqualTo(PRODUCTS);
    }

    @Test
    void oneNewProductPutByManyAdminsAtOnceIsCreatedOnceAndItsStockAddsUp() throws Exception {
        List<ApiClient.Answer> answers = all(IntStream.range(0, ADMINS)
                .mapToObj(i -> (Callable<ApiClient.Answer>) () -> app.putProduct("SIDE-BY-SIDE-ONE", 100 + i, 6)).toList());

        assertThat(answers).extracting(ApiClient.Answer::status).isSubsetOf(201, 200, 503);
        assertThat(answers).filteredOn(answer -> answer.status() == 201).hasSize(1);
        assertThat(answers).filteredOn(answer -> answer.status() == 503)
                .allSatisfy(answer -> assertThat(answer.headers().firstValue("Retry-After")).isPresent());
        int stock = database.stockOf("SIDE-BY-SIDE-ONE");
        assertThat(stock).isBetween(100, 100 + ADMINS - 1);
        assertThat(database.jdbc().queryForObject(
                "SELECT SUM(delta) FROM stock_movements WHERE sku = 'SIDE-BY-SIDE-ONE'", Integer.class)).isEqualTo(stock);
    }

    private static String sku(int i) {
        return "SIDE-BY-SIDE-%03d".formatted(i);
    }

    private static List<ApiClient.Answer> all(List<Callable<ApiClient.Answer>> calls) throws Exception {
        ExecutorService admins = Executors.newFixedThreadPool(ADMINS);
        try {
            List<ApiClient.Answer> answers = new ArrayList<>();
            for (Future<ApiClient.Answer> answer : admins.invokeAll(calls)) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            admins.shutdownNow();
        }
    }
}
