package routes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The business meters as a Prometheus scrape sees them: a scenario over the real HTTP port and
 * the mocked factory, DLQ and SMTP, then GET /observe/metrics and the exact values.
 */
class BusinessMetricsTest extends RouteTestSupport {

    private static final String FACTORY_ANSWER = """
            {"data":{"data":{},"id":"job-9","reqestor":"donut-states"}}""";

    @Test
    void everyMeterIsThereAtZeroBeforeAnythingHappened() {
        Map<String, Double> metrics = scrape();

        assertThat(metrics).containsEntry("donut_orders_total{result=\"sold\"}", 0.0)
                .containsEntry("donut_orders_total{result=\"out_of_stock\"}", 0.0)
                .containsEntry("donut_orders_total{result=\"rejected\"}", 0.0)
                .containsEntry("donut_dead_letters_total{reason=\"retries_exhausted\"}", 0.0)
                .containsEntry("donut_dead_letters_total{reason=\"invalid_message\"}", 0.0)
                .containsEntry("donut_dead_letters_total{reason=\"delivery_overdue\"}", 0.0)
                .containsEntry("donut_dead_letters_total{reason=\"order_interrupted\"}", 0.0)
                .containsEntry("donut_dead_letters_total{reason=\"not_picked_up\"}", 0.0)
                .containsEntry("donut_dead_letters_total{reason=\"sqs_redrive\"}", 0.0)
                .containsEntry("donut_restock_republished_total", 0.0)
                .containsEntry("donut_alert_emails_sent_total", 0.0)
                .containsEntry("donut_factory_call_seconds_count{outcome=\"success\"}", 0.0)
                .containsEntry("donut_factory_call_seconds_count{outcome=\"failure\"}", 0.0)
                .containsEntry("donut_restock_requests{status=\"FAILED\"}", 0.0);
        assertThat(metricsText())
                .as("Camel's own meters, so the same registry").contains("camel_routes_running_routes{")
                .contains("# HELP donut_orders_total Order requests (POST /api/orders, POST /checkout) by result")
                .contains("# TYPE donut_factory_call_seconds histogram")
                .contains("# HELP donut_restock_requests Restock requests in each status, as last read from the database");
    }

    @Test
    void ordersFactoryCallsDeadLettersAndEmailsAreCountedAsTheyHappen() throws Exception {
        MockEndpoint factory = getMockEndpoint("mock:factory");
        factory.whenAnyExchangeReceived(exchange -> {
            if (exchange.getMessage().getBody(String.class).contains("\"MT-1\"")) {
                throw factoryAnswered(503);
            }
            exchange.getMessage().setBody(FACTORY_ANSWER);
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        });
        MockEndpoint mail = getMockEndpoint("mock:ops-mail");
        mail.whenExchangeReceived(1, exchange -> {
            throw new IllegalStateException("SMTP connection refused");
        });

        // Two sold (and a replay of the first, which sells nothing), then out of stock.
        product("MT-1", 2, 0);
        assertThat(order("{\"sku\":\"MT-1\",\"quantity\":1}", "key-1").status()).isEqualTo(201);
        assertThat(order("{\"sku\":\"MT-1\",\"quantity\":1}", "key-1").status()).isEqualTo(201);
        assertThat(order("{\"sku\":\"MT-1\",\"quantity\":1}", null).status()).isEqualTo(201);
        assertThat(order("{\"sku\":\"MT-1\",\"quantity\":1}", null).status()).isEqualTo(409);
        // Four refused: bad quantity, unknown product, a reused key, a bad key on the checkout button.
        assertThat(order("{\"sku\":\"MT-1\",\"quantity\":0}", null).status()).isEqualTo(400);
        assertThat(order("{\"sku\":\"NO-SUCH\",\"quantity\":1}", null).status()).isEqualTo(404);
        assertThat(order("{\"sku\":\"MT-1\",\"quantity\":2}", "key-1").status()).isEqualTo(422);
        assertThat(post("/checkout", null, Map.of("Idempotency-Key", "no spaces allowed")).status()).isEqualTo(400);
        // Not an order request at all.
        assertThat(get("/api/orders").status()).isEqualTo(405);

        String failing = requestFor("MT-1");
        String fulfilled = stockOutRequest("MT-2");
        String overdue = stockOutRequest("MT-3");
        String ordered = stockOutRequest("MT-4");
        stockOutRequest("MT-5");
        await().atMost(10, TimeUnit.SECONDS).until(() -> getMockEndpoint("mock:stock-topic").getReceivedCounter() == 5);

        deliver(FactoryRouteTest.snsEnvelope(failing));
        deliver(FactoryRouteTest.snsEnvelope(fulfilled));
        deliver(FactoryRouteTest.snsEnvelope(overdue));
        deliver(FactoryRouteTest.snsEnvelope(ordered));
        deliver("not json at all");
        assertThat(factory.getReceivedCounter()).as("3 tries for MT-1, one call each for MT-2..4").isEqualTo(6);

        assertThat(post("/api/restock?request=" + fulfilled + "&signature=" + signature(fulfilled), "{}", Map.of()).status())
                .isEqualTo(200);
        db().update("UPDATE restock_requests SET deliver_by = TIMESTAMPADD(SECOND, -1, CURRENT_TIMESTAMP(3)) WHERE id = ?", overdue);
        MockEndpoint dlq = getMockEndpoint("mock:stock-dlq");
        await().atMost(10, TimeUnit.SECONDS).until(() -> dlq.getReceivedCounter() == 3);

        // MT-1's dead letter reaches the alert route: SMTP refuses once, the redelivery is mailed.
        Exchange deadLetter = dlq.getReceivedExchanges().get(0);
        assertThat(deadLetter.getMessage().getHeader("RequestId")).isEqualTo(failing);
        String sqsMessageId = UUID.randomUUID().toString();
        assertThat(alert(deadLetter, sqsMessageId).getException()).isNotNull();
        assertThat(alert(deadLetter, sqsMessageId).getException()).isNull();
        assertThat(mail.getReceivedCounter()).isEqualTo(2);
        // The overdue delivery's dead letter too.
        assertThat(alert(dlq.getReceivedExchanges().get(2), UUID.randomUUID().toString()).getException()).isNull();
        assertThat(statusOf(overdue)).isEqualTo("FAILED");

        Map<String, Double> metrics = scrape();
        assertThat(metrics).containsEntry("donut_orders_total{result=\"sold\"}", 2.0)
                .containsEntry("donut_orders_total{result=\"out_of_stock\"}", 5.0)
                .containsEntry("donut_orders_total{result=\"rejected\"}", 4.0)
                .containsEntry("donut_factory_call_seconds_count{outcome=\"failure\"}", 3.0)
                .containsEntry("donut_factory_call_seconds_count{outcome=\"success\"}", 3.0)
                .containsEntry("donut_factory_call_seconds_bucket{outcome=\"success\",le=\"+Inf\"}", 3.0)
                .containsEntry("donut_dead_letters_total{reason=\"retries_exhausted\"}", 1.0)
                .containsEntry("donut_dead_letters_total{reason=\"invalid_message\"}", 1.0)
                .containsEntry("donut_dead_letters_total{reason=\"delivery_overdue\"}", 1.0)
                .containsEntry("donut_alert_emails_sent_total", 2.0);
        assertThat(metrics.get("donut_factory_call_seconds_sum{outcome=\"success\"}")).isPositive();

        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(scrape())
                .containsEntry("donut_restock_requests{status=\"REQUESTED\"}", 0.0)
                .containsEntry("donut_restock_requests{status=\"PUBLISHED\"}", 1.0)
                .containsEntry("donut_restock_requests{status=\"ORDERED\"}", 1.0)
                .containsEntry("donut_restock_requests{status=\"FULFILLED\"}", 1.0)
                .containsEntry("donut_restock_requests{status=\"FAILED\"}", 2.0));
    }

    @Test
    void theRestockRequestGaugesComeFromOneReplicaSoThatTheirSumOverInstancesCountsEachRequestOnce() {
        stockOutRequest("MG-1");
        await().atMost(10, TimeUnit.SECONDS).until(() -> restockRequestsReported() == 1.0);

        // Another replica holds the lease (this one's ran out while it was paused, say).
        db().update("UPDATE replica_leases SET holder = 'another-replica', lease_until = TIMESTAMPADD(HOUR, 1, CURRENT_TIMESTAMP(3))"
                + " WHERE name = 'restock-gauges'");
        await().atMost(10, TimeUnit.SECONDS).until(() -> restockRequestsReported() == 0.0);

        // That replica died: once its lease has run out this one reports the counts again.
        db().update("UPDATE replica_leases SET lease_until = TIMESTAMPADD(SECOND, -1, CURRENT_TIMESTAMP(3))"
                + " WHERE name = 'restock-gauges'");
        await().atMost(10, TimeUnit.SECONDS).until(() -> restockRequestsReported() == 1.0);
        assertThat(db().queryForObject("SELECT holder FROM replica_leases WHERE name = 'restock-gauges'", String.class))
                .isNotEqualTo("another-replica");
    }

    private double restockRequestsReported() {
        return scrape().entrySet().stream().filter(sample -> sample.getKey().startsWith("donut_restock_requests{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("metrics.restock-refresh-ms", "100", "factory.deadline-check-ms", "200");
    }

    private String requestFor(String sku) {
        return db().queryForObject("SELECT id FROM restock_requests WHERE sku = ?", String.class, sku);
    }

    private Exchange deliver(String body) {
        return template.send("direct:stock-queue", exchange -> {
            exchange.getMessage().setHeader("CamelAwsSqsMessageId", UUID.randomUUID().toString());
            exchange.getMessage().setBody(body);
        });
    }

    private Exchange alert(Exchange deadLetter, String sqsMessageId) {
        return template.send("direct:stock-dlq", exchange -> {
            exchange.getMessage().setHeaders(new LinkedHashMap<>(deadLetter.getMessage().getHeaders()));
            exchange.getMessage().setHeader("CamelAwsSqsMessageId", sqsMessageId);
            exchange.getMessage().setBody(deadLetter.getMessage().getBody(String.class));
        });
    }
}
