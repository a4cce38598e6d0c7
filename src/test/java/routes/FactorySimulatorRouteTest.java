package routes;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FactorySimulatorRouteTest {

    static String factoryOrder(String callbackUrl) {
        return """
                {"MessageGroupId":"stock-arrival-group","MessageAttributeProductId":"SIM-1","MessageAttributeProductCnt":"10",\
                "MessageAttributeFactoryId":"factory_01","MessageAttributeRequester":"donut-states","CallbackUrl":"%s"}"""
                .formatted(callbackUrl);
    }

    @Nested
    class Working extends RouteTestSupport {

        @Override
        protected Map<String, String> extraProperties() {
            return Map.of("simulator.enabled", "on", "simulator.delay-ms", "0", "simulator.duplicate-rate", "1");
        }

        @Test
        void takesTheOrderInTheLegacyShapeThenCallsBackTwiceAndTheStockComesBackOnce() throws Exception {
            String requestId = stockOutRequest("SIM-1");
            String callbackUrl = baseUrl() + "/api/restock?request=" + requestId + "&signature=" + signature(requestId);
            MockEndpoint callbacks = getMockEndpoint("mock:callbacks");
            advise("restock", route -> route.weaveAddLast().to("mock:callbacks"));

            Answer accepted = post("/simulator/api/manufactures", factoryOrder(callbackUrl), Map.of());

            assertThat(accepted.status()).isEqualTo(201);
            JsonNode job = accepted.body().get("data");
            assertThat(job.get("id").asText()).isNotBlank();
            assertThat(job.get("reqestor").asText()).isEqualTo("donut-states");
            assertThat(job.get("data").get("CallbackUrl").asText()).isEqualTo(callbackUrl);
            callbacks.expectedMessageCount(2);
            callbacks.setResultWaitTime(TimeUnit.SECONDS.toMillis(10));
            callbacks.assertIsSatisfied();
            assertThat(statusOf(requestId)).isEqualTo("FULFILLED");
            assertThat(stockOf("SIM-1")).isEqualTo(10);
        }
    }

    /**
     * A callback answered 503 (an instance starting or stopping, or a load balancer with no
     * instance ready) is sent again, as a real sender does, and restocks once it is taken.
     */
    @Nested
    class CallbackAnswered503 extends RouteTestSupport {

        @Override
        protected Map<String, String> extraProperties() {
            return Map.of("simulator.enabled", "on", "simulator.delay-ms", "0", "simulator.callback-retry-delay-ms", "100");
        }

        @Test
        void isSentAgainUntilTheAppTakesIt() throws Exception {
            String requestId = stockOutRequest("SIM-3");
            String callbackUrl = baseUrl() + "/api/restock?request=" + requestId + "&signature=" + signature(requestId);
            AtomicInteger tries = new AtomicInteger();
            advise("factory-simulator-delivery", route -> route.weaveByToUri("http:factory-simulator-callback*")
                    .before().process(exchange -> {
                        if (tries.incrementAndGet() <= 2) {
                            throw new HttpOperationFailedException(callbackUrl, 503, "Service Unavailable", null,
                                    Map.of("Retry-After", "1"), "{\"error\":\"SERVICE_UNAVAILABLE\",\"message\":\"starting\"}");
                        }
                    }));

            assertThat(post("/simulator/api/manufactures", factoryOrder(callbackUrl), Map.of()).status()).isEqualTo(201);

            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> "FULFILLED".equals(statusOf(requestId)));
            assertThat(tries.get()).as("callbacks sent: two answered 503, then the one taken").isEqualTo(3);
            assertThat(stockOf("SIM-3")).isEqualTo(10);
        }
    }

    @Nested
    class Failing extends RouteTestSupport {

        @Override
        protected Map<String, String> extraProperties() {
            return Map.of("simulator.enabled", "on", "simulator.failure-rate", "1");
        }

        @Test
        void answers503AndNeverCallsBack() {
            String requestId = stockOutRequest("SIM-2");

            Answer refused = post("/simulator/api/manufactures",
                    factoryOrder(baseUrl() + "/api/restock?request=" + requestId + "&signature=" + signature(requestId)), Map.of());

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body().get("error").asText()).isEqualTo("FACTORY_UNAVAILABLE");
        }
    }

    @Nested
    class Off extends RouteTestSupport {

        @Test
        void isNotThereUnlessSwitchedOn() {
            assertThat(post("/simulator/api/manufactures", factoryOrder("http://localhost/x"), Map.of()).status()).isEqualTo(404);
        }
    }
}
