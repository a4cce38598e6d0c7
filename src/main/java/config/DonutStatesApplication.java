package config;

import java.security.Security;

import operations.GracefulStop;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code java -jar donut-states.jar}: Camel Main reads application.properties and the environment,
 * and a stop drains first (operations.GracefulStop).
 */
public final class DonutStatesApplication {

    private DonutStatesApplication() {
    }

    public static void main(String[] args) throws Exception {
        // Checked before anything logs: logback.xml picks its appender by this name, and with an
        // unknown one the app would write nothing at all, not even why it stopped.
        String logFormat = System.getenv("LOG_FORMAT");
        if (logFormat != null && !logFormat.equals("text") && !logFormat.equals("json")) {
            System.err.println("LOG_FORMAT must be text or json.");
            System.exit(2);
        }
        // Set before the first lookup: an RDS failover points the database's name at a new address,
        // and connections opened after it must find it (docs/configuration.md, DNS_CACHE_TTL_S).
        String dnsTtl = System.getenv().getOrDefault("DNS_CACHE_TTL_S", "30");
        if (!dnsTtl.matches("\\d{1,6}")) {
            System.err.println("DNS_CACHE_TTL_S must be a whole number of seconds.");
            System.exit(2);
        }
        Security.setProperty("networkaddress.cache.ttl", dnsTtl);
        // Libraries that log through java.util.logging (the OpenTelemetry API, which MySQL's driver
        // asks on its first connection, and the SDK) write into the app's log, in its format.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        try {
            Main main = new Main();
            main.addMainListener(new GracefulStop());
            main.run(args);
        } catch (Exception e) {
            // Into the log, in its format, rather than as a bare stack trace on stderr.
            LoggerFactory.getLogger(DonutStatesApplication.class).error("The app stopped: {}", e.getMessage(), e);
            System.exit(1);
        }
    }
}
