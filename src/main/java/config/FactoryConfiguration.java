package config;

import javax.sql.DataSource;

import beans.CallbackSigner;
import beans.DeadLetters;
import beans.Failures;
import beans.FactoryOrders;
import beans.FactorySimulator;
import beans.JsonRequests;
import beans.OpsAlerts;
import beans.RestockNotifications;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.apache.camel.spi.Registry;

/** The named beans of the restock pipeline: factory payloads, callback signing, ops email. */
public class FactoryConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Properties properties = new Properties(context);
        Registry registry = context.getRegistry();
        ObjectMapper mapper = registry.lookupByNameAndType("objectMapper", ObjectMapper.class);
        String publicBaseUrl = properties.get("app.public-base-url").replaceAll("/+$", "");

        CallbackSigner signer = new CallbackSigner(publicBaseUrl, properties.get("security.callback-secret"));
        registry.bind("callbackSigner", signer);
        RestockNotifications notifications = new RestockNotifications(mapper);
        registry.bind("restockNotifications", notifications);
        registry.bind("deadLetters", new DeadLetters(notifications, properties.getInt("restock.publish-deadline-s")));
        registry.bind("failures", new Failures(properties.getInt("factory.timeout-ms")));
        registry.bind("factoryOrders", new FactoryOrders(mapper, signer, properties.get("factory.requester")));
        registry.bind("factorySimulator", new FactorySimulator(mapper,
                new JsonRequests(properties.getInt("api.max-body-bytes")), publicBaseUrl,
                Double.parseDouble(properties.get("simulator.failure-rate")),
                Double.parseDouble(properties.get("simulator.duplicate-rate")),
                properties.getInt("simulator.max-orders-counted")));

        JdbcMessageIdRepository alerted = new JdbcMessageIdRepository(
                registry.lookupByNameAndType("dataSource", DataSource.class), "ops-alerts");
        alerted.setCreateTableIfNotExists(false);
        registry.bind("alertedDeadLetters", alerted);
        registry.bind("opsAlerts", new OpsAlerts(publicBaseUrl, alerted));

        configureSmtp(context.getComponent("smtp", MailComponent.class), properties);
    }

    /** Credentials stay off the endpoint URI, which Camel logs. */
    private static void configureSmtp(MailComponent smtp, Properties properties) {
        String user = properties.get("smtp.user");
        if (!user.isBlank()) {
            smtp.getConfiguration().setUsername(user);
            smtp.getConfiguration().setPassword(properties.get("smtp.password"));
        }
        java.util.Properties javaMail = new java.util.Properties();
        javaMail.setProperty("mail.smtp.starttls.enable", properties.get("smtp.starttls"));
        javaMail.setProperty("mail.smtp.starttls.required", properties.get("smtp.starttls"));
        smtp.getConfiguration().setAdditionalJavaMailProperties(javaMail);
        smtp.getConfiguration().setConnectionTimeout(properties.getInt("smtp.timeout-ms"));
    }
}
