package routes;

import beans.HttpRequestAllowlist;
import config.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * A stand-in for the legacy Factory-States API (FACTORY_SIMULATOR=on, never in production):
 * POST /simulator/api/manufactures answers 201 with a job id, then after SIMULATOR_DELAY_MS
 * posts the same order to its CallbackUrl, once or twice; it takes SIMULATOR_LATENCY_MS to
 * answer and fails at SIMULATOR_FAILURE_RATE; a callback nobody answers is tried again
 * SIMULATOR_CALLBACK_RETRIES times.
 */
public class FactorySimulatorRoute extends RouteBuilder {

    @Override
    public void configure() {
        Properties settings = new Properties(getContext());
        if (!"on".equalsIgnoreCase(settings.get("simulator.enabled"))) {
            return;
        }
        rest("/simulator/api/manufactures")
                .post().to("direct:simulateFactory")
                // Not part of the legacy API: how many orders the simulator took per request id.
                .get().to("direct:simulatedOrders");

        from("direct:simulatedOrders").routeId("factory-simulator-orders")
                .process(HttpRequestAllowlist.none())
                .setBody(method("factorySimulator", "ordersTaken"))
                .bean("jsonResponses", "ok");

        from("direct:simulateFactory").routeId("factory-simulator")
                .process(HttpRequestAllowlist.none())
                .convertBodyTo(String.class)
                .delay(simple("{{simulator.latency-ms}}")).asyncDelayed()
                .choice()
                    .when(method("factorySimulator", "fails"))
                        .bean("jsonResponses", "error(*, 503, 'FACTORY_UNAVAILABLE', 'The simulated factory failed this order.')")
                    .otherwise()
                        .setVariable("jobId", method("factorySimulator", "newJobId"))
                        .wireTap("seda:simulatedDeliveries")
                        .setBody(method("factorySimulator", "accepted"))
                        .bean("jsonResponses", "created");

        from("seda:simulatedDeliveries?concurrentConsumers={{simulator.delivery-threads}}").routeId("factory-simulator-delivery")
                .errorHandler(defaultErrorHandler().maximumRedeliveries(settings.getInt("simulator.callback-retries"))
                        .redeliveryDelay(settings.getInt("simulator.callback-retry-delay-ms")))
                .delay(simple("{{simulator.delay-ms}}"))
                .removeHeaders("*")
                .setVariable("callbackUrl", method("factorySimulator", "callbackUrl"))
                .loop(method("factorySimulator", "deliveries")).copy()
                    .setHeader(Exchange.HTTP_URI, variable("callbackUrl"))
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .to("http:factory-simulator-callback?httpMethod=POST")
                    .log("Simulated factory job ${variable.jobId} delivered: callback answered ${header.CamelHttpResponseCode}")
                .end();
    }
}
