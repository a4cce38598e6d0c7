package routes;

import api.ApiError;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * A stand-in for the legacy Factory-States API (FACTORY_SIMULATOR=on, never in production):
 * POST /simulator/api/manufactures answers 201 with a job id, then after SIMULATOR_DELAY_MS
 * posts the same order to its CallbackUrl, once or twice; it takes SIMULATOR_LATENCY_MS to
 * answer and fails at SIMULATOR_FAILURE_RATE; a callback nobody answers is tried again
 * SIMULATOR_CALLBACK_RETRIES times. It calls back only to this app (PUBLIC_BASE_URL), and keeps at
 * most SIMULATOR_MAX_PENDING_DELIVERIES deliveries at once, waiting or being tried; beyond that it
 * answers 503, as a busy factory would.
 */
public class FactorySimulatorRoute extends RouteBuilder {

    private static final String DELIVERY = "factory-simulator-delivery";

    @PropertyInject("simulator.enabled")
    private String enabled;
    @PropertyInject("simulator.max-pending-deliveries")
    private int maxPendingDeliveries;
    @PropertyInject("simulator.callback-retries")
    private int callbackRetries;
    @PropertyInject("simulator.callback-retry-delay-ms")
    private long callbackRetryDelayMs;

    @Override
    public void configure() {
        if (!"on".equalsIgnoreCase(enabled)) {
            return;
        }
        rest("/simulator/api/manufactures")
                .post().to("direct:simulateFactory")
                // Not part of the legacy API: how many orders the simulator took per request id.
                .get().to("direct:simulatedOrders");


        // A delivery waits out its delay and its retries in the delivery route, so the route's
        // exchanges in flight are the deliveries kept.
        Predicate busy = exchange -> exchange.getContext().getInflightRepository().size(DELIVERY) >= maxPendingDeliveries;

        from("direct:simulatedOrders").routeId("factory-simulator-orders").routeConfigurationId(ApiErrorHandling.ID)
                .setBody(method("factorySimulator", "ordersTaken"));

        // The body, a JSON object, is bound by the REST DSL as a map.
        from("direct:simulateFactory").routeId("factory-simulator").routeConfigurationId(ApiErrorHandling.ID)
                .setBody(method("factorySimulator", "order"))
                .delay(simple("{{simulator.latency-ms}}")).asyncDelayed()
                .choice()
                    .when(method("factorySimulator", "fails"))
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(503))
                        .setBody(constant(new ApiError("FACTORY_UNAVAILABLE", "The simulated factory failed this order.")))
                    .when(busy)
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(503))
                        .setBody(constant(new ApiError("FACTORY_BUSY", "The simulated factory has too many deliveries waiting.")))
                    .otherwise()
                        .setVariable("jobId", method("factorySimulator", "newJobId"))
                        .wireTap("seda:simulatedDeliveries")
                        .setBody(method("factorySimulator", "accepted"))
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201));

        from("seda:simulatedDeliveries?concurrentConsumers={{simulator.delivery-threads}}").routeId(DELIVERY)
                .errorHandler(defaultErrorHandler().maximumRedeliveries(callbackRetries)
                        .redeliveryDelay(callbackRetryDelayMs))
                // A callback this app refused as not its own (400, 401: a forged one) is not tried
                // again, and is one line. Any other answer is tried again: a 404 while the app is
                // starting, before its routes are in, is no answer yet.
                .onException(HttpOperationFailedException.class).onWhen(simple("${exception.statusCode} in '400,401'")).handled(true)
                    .log("Simulated factory job ${variable.jobId}: callback refused with ${exception.statusCode}")
                .end()
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
