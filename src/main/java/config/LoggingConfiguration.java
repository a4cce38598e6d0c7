package config;

import operations.TraceContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.mdc.MDCService;

/**
 * With LOG_FORMAT=json, Camel's MDC service (camel-mdc) puts camel.exchangeId, camel.routeId,
 * camel.messageId … and the exchange properties the routes set as soon as they know them
 * (operations.TraceContext: requestId, sku, orderId, traceId) into the MDC of every line an
 * exchange logs. It sets them around every step of every route, which costs each order CPU; text
 * logs do not print the MDC, so they leave it off (docs/configuration.md).
 */
public class LoggingConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        if (!"json".equals(context.resolvePropertyPlaceholders("{{log.format}}"))) {
            return;
        }
        MDCService mdc = new MDCService();
        mdc.setCustomProperties(String.join(",", TraceContext.REQUEST_ID, TraceContext.SKU, TraceContext.ORDER_ID,
                TraceContext.TRACE_ID));
        mdc.init(context);
    }
}
