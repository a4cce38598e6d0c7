package config;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import operations.DatabaseHealthCheck;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The pooled DataSource camel-sql uses, the schema migrated by Flyway before any route
 * starts, and the transaction policies behind {@code transacted()} and
 * {@code transacted(DatabaseConfiguration.READ_COMMITTED)}.
 */
public class DatabaseConfiguration implements CamelConfiguration {

    /**
     * A transaction whose locking reads lock the rows they find and no gaps between keys. A
     * read of a product that does not exist yet, locked in MariaDB's and MySQL's default
     * (repeatable read), locks the gap its key would go in; two admins creating products whose
     * SKUs sort into one gap then wait for each other's gap to insert, a deadlock.
     */
    public static final String READ_COMMITTED = "READ_COMMITTED";

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseConfiguration.class);

    @PropertyInject("db.url")
    private String url;
    @PropertyInject("db.user")
    private String user;
    @PropertyInject("db.password")
    private String password;
    @PropertyInject("db.pool-size")
    private int poolSize;
    @PropertyInject("db.connection-timeout-ms")
    private int connectionTimeoutMs;
    @PropertyInject("db.startup-wait-ms")
    private int startupWaitMs;

    @Override
    public void configure(CamelContext context) throws Exception {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("donut-states");
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(poolSize);
        pool.setConnectionTimeout(connectionTimeoutMs);
        // The app fails at start, not on the first order, when the database cannot be reached; but a
        // database that comes up with (or just after) the app is waited for, up to DB_STARTUP_WAIT_MS.
        pool.setInitializationFailTimeout(startupWaitMs);
        if (pool.getJdbcUrl().startsWith("jdbc:mysql:")) {
            // A batch of orders writes its rows as one multi-row INSERT: one round trip while
            // the product's row is locked, not one per order.
            pool.addDataSourceProperty("rewriteBatchedStatements", "true");
            // The same dozen statements run on every connection: parse each once per
            // connection, and do not ask the server for session state the driver already knows.
            pool.addDataSourceProperty("cachePrepStmts", "true");
            pool.addDataSourceProperty("prepStmtCacheSize", "100");
            pool.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
            pool.addDataSourceProperty("useLocalSessionState", "true");
            // The driver would trace every statement through GlobalOpenTelemetry once the OpenTelemetry
            // API is on the classpath; Camel's sql spans already show them (config.TracingConfiguration).
            pool.addDataSourceProperty("openTelemetry", "DISABLED");
        }
        // The pool opens on first use, which is the migration below.
        HikariDataSource dataSource = new HikariDataSource();
        pool.copyStateTo(dataSource);

        // Connecting and migrating is mostly waiting for the database, so it runs while the AWS
        // clients and the routes are made; the routes start only once it is done.
        ExecutorService migrator = context.getExecutorServiceManager().newSingleThreadExecutor(this, "database-migration");
        CompletableFuture<Void> migrated = CompletableFuture.runAsync(
                () -> Flyway.configure().dataSource(dataSource).load().migrate(), migrator);
        migrated.whenComplete((done, failure) -> migrator.shutdown());

        DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
        context.getRegistry().bind("dataSource", dataSource);
        context.getRegistry().bind("transactionManager", transactionManager);
        context.getRegistry().bind("databaseHealthCheck", new DatabaseHealthCheck(dataSource));
        context.getRegistry().bind("PROPAGATION_REQUIRED", new SpringTransactionPolicy(transactionManager));
        TransactionTemplate readCommitted = new TransactionTemplate(transactionManager);
        readCommitted.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        context.getRegistry().bind(READ_COMMITTED, new SpringTransactionPolicy(readCommitted));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() throws Exception {
                String address = withoutCredentials(url);
                try {
                    try {
                        migrated.get(connectionTimeoutMs, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException stillWaiting) {
                        LOG.info("Still connecting to (or migrating) the database at {} after {} ms; waiting up to"
                                + " DB_STARTUP_WAIT_MS ({} s) from the first try", address, connectionTimeoutMs, startupWaitMs / 1000);
                        migrated.get();
                    }
                } catch (ExecutionException e) {
                    if (isConnectionFailure(e.getCause())) {
                        throw new IllegalStateException("The database at " + address + " did not answer within "
                                + startupWaitMs / 1000 + " s (DB_STARTUP_WAIT_MS): " + e.getCause().getMessage(), e.getCause());
                    }
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }

            @Override
            protected void doStop() {
                dataSource.close();
            }
        }, true, true);
    }

    /** The JDBC URL as an operator may read it: no user or password in it, no query parameters. */
    static String withoutCredentials(String jdbcUrl) {
        return jdbcUrl.replaceFirst("\\?.*$", "").replaceFirst("//[^/@]*@", "//");
    }

    /** SQL state class 08: the connection could not be made (or was lost), whatever the driver. */
    private static boolean isConnectionFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
