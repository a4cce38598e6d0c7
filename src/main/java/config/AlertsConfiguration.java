package config;

import javax.sql.DataSource;

import alerts.DeadLetters;
import alerts.OpsAlerts;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.apache.camel.spi.ComponentCustomizer;
import restock.RestockNotifications;

/** Dead letters and the one email to ops per failure, over the SMTP server the environment names. */
public class AlertsConfiguration implements CamelConfiguration {

    @PropertyInject("smtp.user")
    private String smtpUser;
    @PropertyInject("smtp.password")
    private String smtpPassword;
    @PropertyInject("smtp.starttls")
    private String smtpStartTls;
    @PropertyInject("smtp.timeout-ms")
    private int smtpTimeoutMs;

    @BindToRegistry(lazy = true)
    public DeadLetters deadLetters(@BeanInject("restockNotifications") RestockNotifications notifications,
                                   @PropertyInject("restock.publish-deadline-s") int publishDeadlineSeconds) {
        return new DeadLetters(notifications, publishDeadlineSeconds);
    }

    /** Camel's JDBC idempotent repository: which failures ops were mailed about (V3 migration). */
    @BindToRegistry(lazy = true)
    public JdbcMessageIdRepository alertedDeadLetters(@BeanInject("dataSource") DataSource dataSource) {
        JdbcMessageIdRepository alerted = new JdbcMessageIdRepository(dataSource, "ops-alerts");
        alerted.setCreateTableIfNotExists(false);
        return alerted;
    }

    @BindToRegistry(lazy = true)
    public OpsAlerts opsAlerts(@PropertyInject("app.public-base-url") String publicBaseUrl,
                               @BeanInject("alertedDeadLetters") JdbcMessageIdRepository alerted) {
        return new OpsAlerts(RestockConfiguration.publicBaseUrl(publicBaseUrl), alerted);
    }

    /**
     * Credentials stay off the endpoint URI, which Camel logs. Applied when the smtp component is
     * made, on the first mail endpoint: the alert route, which starts with the restock pipeline.
     */
    @BindToRegistry(lazy = true)
    public ComponentCustomizer smtpSettings() {
        return ComponentCustomizer.forType(MailComponent.class, smtp -> {
            if (!smtpUser.isBlank()) {
                smtp.getConfiguration().setUsername(smtpUser);
                smtp.getConfiguration().setPassword(smtpPassword);
            }
            java.util.Properties javaMail = new java.util.Properties();
            javaMail.setProperty("mail.smtp.starttls.enable", smtpStartTls);
            javaMail.setProperty("mail.smtp.starttls.required", smtpStartTls);
            smtp.getConfiguration().setAdditionalJavaMailProperties(javaMail);
            smtp.getConfiguration().setConnectionTimeout(smtpTimeoutMs);
        });
    }
}
