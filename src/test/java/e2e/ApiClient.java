package e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The app's HTTP API as a customer or an admin calls it, at whatever address answers it: one app
 * process, or a load balancer in front of several.
 */
abstract class ApiClient {

    static final String ADMIN_TOKEN = "e2e-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An answer: its status, its body read as JSON (null when empty), and its headers. */
    record Answer(int status, JsonNode body, HttpHeaders headers) {
    }

    /** Where requests go: the port on 127.0.0.1. */
    abstract int port();

    /** Where health and metrics answer: the same port unless the app was given a MANAGEMENT_PORT of its own. */
    int managementPort() {
        return port();
    }

    String baseUrl() {
        return "http://localhost:" + port();
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer order(String sku, int quantity) {
        return send(request("/api/orders").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"%s\",\"quantity\":%d}".formatted(sku, quantity))));
    }

    /** An order a customer may send again with the same key when no answer came back. */
    Answer order(String sku, int quantity, String idempotencyKey) {
        return send(request("/api/orders").header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"%s\",\"quantity\":%d}".formatted(sku, quantity))));
    }

    Answer post(String path, String json, String adminToken) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
        if (adminToken != null) {
            request.header("Authorization", "Bearer " + adminToken);
        }
        return send(request);
    }

    Answer admin(String path) {
        return send(request(path).header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
    }

    /** What /observe/health says of one check (database, sns, sqs, serving …) as of its last run. */
    String check(String name) {
        for (var check : admin("/observe/health?exposureLevel=full").body().path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check.path("status").asText();
            }
        }
        return "not reported";
    }

    Answer putProduct(String sku, int stock, int restockQuantity) {
        String body = """
                {"name":"Test donut %s","price":2.50,"stock":%d,"factoryId":"factory_01","restockQuantity":%d}"""
                .formatted(sku, stock, restockQuantity);
        return send(request("/api/products/" + sku).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ADMIN_TOKEN).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The donut_ samples of a GET /observe/metrics, keyed by name and labels as Prometheus prints them. */
    Map<String, Double> businessMetrics() {
        try {
            HttpResponse<String> response = HTTP.send(managementRequest("/observe/metrics").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("/observe/metrics answered " + response.statusCode());
            }
            Map<String, Double> samples = new TreeMap<>();
            response.body().lines().filter(line -> line.startsWith("donut_")).forEach(line -> {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            });
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).timeout(Duration.ofSeconds(30));
    }

    HttpRequest.Builder managementRequest(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + path)).timeout(Duration.ofSeconds(30));
    }

    static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()),
                    response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
