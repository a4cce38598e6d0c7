import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The catalogue for the uniform load of bench/run.sh: creates PREFIX-00000 .. PREFIX-<COUNT-1>
 * through the admin API (PUT /api/products/{sku}), each with STOCK donuts, eight at a time, each
 * worker its own block of SKUs. A retryable 503 (the database busy or out of reach for a moment)
 * sends the product again.
 *
 * Usage: java bench/SeedProducts.java BASE_URL ADMIN_TOKEN PREFIX COUNT STOCK
 */
public class SeedProducts {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int WORKERS = 8;
    private static final int ATTEMPTS = 10;

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        String prefix = args[2];
        int count = Integer.parseInt(args[3]);
        int stock = Integer.parseInt(args[4]);
        String body = "{\"name\":\"Uniform donut\",\"price\":1.00,\"stock\":" + stock + ",\"factoryId\":\"factory_01\",\"restockQuantity\":100}";

        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> blocks = new ArrayList<>();
            int block = (count + WORKERS - 1) / WORKERS;
            for (int first = 0; first < count; first += block) {
                int from = first;
                int to = Math.min(count, first + block);
                blocks.add(workers.submit(() -> {
                    for (int i = from; i < to; i++) {
                        put(base, token, "%s-%05d".formatted(prefix, i), body);
                    }
                    return null;
                }));
            }
            for (Future<?> done : blocks) {
                done.get();
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private static void put(String base, String token, String sku, String body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/products/" + sku))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(20)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() < 300) {
                return;
            }
            if (answer.statusCode() != 503 || attempt == ATTEMPTS) {
                throw new IllegalStateException("Could not create " + sku + ": " + answer.statusCode() + " " + answer.body());
            }
            Thread.sleep(20L * attempt);
        }
    }
}
