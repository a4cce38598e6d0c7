import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Restock pipeline overhead, for bench/run.sh: sells the last donut of a product (the sale
 * opens its restock request), then polls the product until the factory's delivery has put the
 * stock back and the request is closed. Prints "median_ms p95_ms max_ms" over the cycles.
 *
 * Usage: java bench/PipelineCycles.java BASE_URL ADMIN_TOKEN SKU CYCLES
 */
public class PipelineCycles {

    private static final Pattern STOCK = Pattern.compile("\"stock\":(\\d+)");
    private static final Pattern REMAINING = Pattern.compile("\"remainingStock\":(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        String sku = args[2];
        int cycles = Integer.parseInt(args[3]);

        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/api/products/" + sku))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"Pipeline donut\",\"price\":1.00,\"stock\":1,\"factoryId\":\"factory_01\",\"restockQuantity\":1}")));
        if (created.statusCode() >= 300) {
            throw new IllegalStateException("Could not create " + sku + ": " + created.statusCode() + " " + created.body());
        }

        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < cycles; i++) {
            long start = System.nanoTime();
            HttpResponse<String> sold = send(HttpRequest.newBuilder(URI.create(base + "/api/orders"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"" + sku + "\",\"quantity\":1}")));
            if (sold.statusCode() != 201 || !"0".equals(first(REMAINING, sold.body()))) {
                throw new IllegalStateException("Cycle " + i + ": expected the last donut sold, got " + sold.statusCode() + " " + sold.body());
            }
            long deadline = start + Duration.ofSeconds(60).toNanos();
            while (true) {
                String product = send(HttpRequest.newBuilder(URI.create(base + "/api/products/" + sku)).GET()).body();
                if (!"0".equals(first(STOCK, product)) && product.contains("\"restockPending\":false")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Cycle " + i + ": stock not back within 60 s: " + product);
                }
                Thread.sleep(2);
            }
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(millis);
        System.out.println(percentile(millis, 50) + " " + percentile(millis, 95) + " " + millis.get(millis.size() - 1));
    }

    /** Nearest-rank percentile. */
    private static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
