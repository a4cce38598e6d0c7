package e2e;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * LOG_FORMAT=json, as ops run the app: a customer's order (its traceparent as an upstream proxy
 * would send it) sells a donut out, the outbox publishes the stock-out through the real SNS/SQS
 * emulator, the simulated factory takes the order and calls back. The app's stdout must be one
 * JSON object per line, and the lines of that one restock, from the order to the callback, must
 * share its requestId and the customer's trace id. {@link JsonLogsFollowOneRestockIT} runs it
 * with tracing off (the default), {@link JsonLogsFollowOneTracedRestockIT} with tracing on.
 */
abstract class OneRestockInJsonLogs extends PipelineTest {

    static final String CUSTOMER_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CUSTOMER_SPAN_ID = "00f067aa0ba902b7";
    static final String CUSTOMER_TRACEPARENT = "00-" + CUSTOMER_TRACE_ID + "-" + CUSTOMER_SPAN_ID + "-01";
    private static final ObjectMapper JSON = new ObjectMapper();

    OneRestockInJsonLogs(Map<String, String> settings) {
        super(withJsonLogs(settings));
    }

    private static Map<String, String> withJsonLogs(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("LOG_FORMAT", "json");
        return all;
    }

    /**
     * Which mode ran: the traceparent the app stored with the request (how the order's trace
     * context reached the outbox) and what the log says about tracing.
     */
    abstract void assertTracingMode(String storedTraceparent);

    @Test
    void theLinesOfOneRestockShareItsRequestIdAndTraceIdFromTheOrderToTheCallback() {
        assertThat(app.putProduct("E2E-LOGS", 1, 6).status()).isEqualTo(201);
        AppProcess.Answer sold = ApiClient.send(app.request("/api/orders").header("Content-Type", "application/json")
                .header("traceparent", CUSTOMER_TRACEPARENT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"E2E-LOGS\",\"quantity\":1}")));
        assertThat(sold.status()).isEqualTo(201);
        String orderId = sold.body().get("orderId").asText();

        await("the stock-out restocked").atMost(Duration.ofSeconds(30)).until(() -> database.stockOf("E2E-LOGS") == 6);
        Map<String, Object> request = database.jdbc().queryForMap(
                "SELECT id, status, traceparent FROM restock_requests WHERE sku = 'E2E-LOGS'");
        assertThat(request.get("status")).isEqualTo("FULFILLED");
        String requestId = (String) request.get("id");
        assertTracingMode((String) request.get("traceparent"));
        // The callback's line is written as its answer goes out, which the stock does not wait for.
        await("the callback's line").atMost(Duration.ofSeconds(10))
                .until(() -> linesOf(requestId).stream().anyMatch(line -> line.path("loggerName").asText().equals("restock")));

        List<JsonNode> story = linesOf(requestId);
        assertThat(story).as("lines of restock request %s", requestId).allSatisfy(line -> {
            assertThat(line.path("mdc").path("traceId").asText()).as("trace id of: " + line).isEqualTo(CUSTOMER_TRACE_ID);
            assertThat(line.path("mdc").path("sku").asText()).as("sku of: " + line).isEqualTo("E2E-LOGS");
            assertThat(line.path("mdc").path("camel.exchangeId").asText()).as("Camel's MDC in: " + line).isNotBlank();
        });
        // From the order that ran out of stock, through the publish and the factory order, to the callback.
        assertThat(story.stream().map(line -> line.path("loggerName").asText()))
                .as("the routes that logged restock request %s", requestId)
                .contains("sell", "outbox", "factory", "restock");
        JsonNode opened = story.stream().filter(line -> line.path("loggerName").asText().equals("sell")).findFirst().orElseThrow();
        assertThat(opened.path("mdc").path("orderId").asText()).isEqualTo(orderId);
        assertThat(opened.path("formattedMessage").asText()).contains(requestId).contains(orderId);
    }

    /** Every line of the app's stdout, each of which must be a JSON object. */
    List<JsonNode> lines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : app.log().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (node == null || !node.isObject()) {
                    fail("Not a JSON object: " + line);
                }
                lines.add(node);
            } catch (Exception e) {
                fail("Not JSON: " + line, e);
            }
        }
        return lines;
    }

    private List<JsonNode> linesOf(String requestId) {
        List<JsonNode> all = lines();
        assertThat(all).as("JSON lines on stdout").isNotEmpty();
        return all.stream().filter(line -> requestId.equals(line.path("mdc").path("requestId").asText(null))).toList();
    }
}
