package config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The pooled DataSource camel-sql uses, the schema migrated by Flyway before any route
 * starts, and the transaction policy behind {@code transacted()}.
 */
public class DatabaseConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Properties properties = new Properties(context);

        HikariConfig pool = new HikariConfig();
        pool.setPoolName("donut-states");
        pool.setJdbcUrl(properties.get("db.url"));
        pool.setUsername(properties.get("db.user"));
        pool.setPassword(properties.get("db.password"));
        pool.setMaximumPoolSize(properties.getInt("db.pool-size"));
        pool.setConnectionTimeout(properties.getInt("db.connection-timeout-ms"));
        // The app fails at start, not on the first order, when the database cannot be reached; but a
        // database that comes up with (or just after) the app is waited for, up to DB_STARTUP_WAIT_MS.
        pool.setInitializationFailTimeout(properties.getInt("db.startup-wait-ms"));
        HikariDataSource dataSource = new HikariDataSource(pool);

        Flyway.configure().dataSource(dataSource).load().migrate();

        DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
        context.getRegistry().bind("dataSource", dataSource);
        context.getRegistry().bind("transactionManager", transactionManager);
        context.getRegistry().bind("databaseHealthCheck", new DatabaseHealthCheck(dataSource));
        context.getRegistry().bind("PROPAGATION_REQUIRED", new SpringTransactionPolicy(transactionManager));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
            }
        }, true, true);
    }
}
