package config;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import operations.Outages;
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
 * The pooled DataSource camel-sql uses, the schema migrated by Flyway before any route is made,
 * and the transaction policies behind {@code transacted()} and
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
    @PropertyInject("db.socket-timeout-ms")
    private int socketTimeoutMs;
    @PropertyInject("db.max-lifetime-ms")
    private long maxLifetimeMs;

    @Override
    public void configure(CamelContext context) throws Exception {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("donut-states");
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(poolSize);
        // docs/configuration.md, "How long a hung dependency may keep a request": a connection is
        // found or refused within DB_CONNECTION_TIMEOUT_MS, an idle one that no longer answers is
        // found out in half that (Hikari's smallest is 250 ms), and a statement gets its answer
        // within DB_SOCKET_TIMEOUT_MS; connections are replaced after DB_MAX_LIFETIME_MS, so the
        // pool follows a failover to a new address.
        pool.setConnectionTimeout(connectionTimeoutMs);
        pool.setValidationTimeout(Math.max(250, connectionTimeoutMs / 2));
        pool.setMaxLifetime(maxLifetimeMs);
        // A database that comes up with (or just after) the app is waited for, up to DB_STARTUP_WAIT_MS;
        // one that never does fails the start, not the first order.
        pool.setInitializationFailTimeout(startupWaitMs);
        if (pool.getJdbcUrl().startsWith("jdbc:mysql:") || pool.getJdbcUrl().startsWith("jdbc:mariadb:")) {
            // The same names in MySQL's and MariaDB's drivers. Without them a database that hangs,
            // or an address that stopped answering, holds a connection until TCP gives up (minutes).
            pool.addDataSourceProperty("connectTimeout", String.valueOf(connectionTimeoutMs));
            pool.addDataSourceProperty("socketTimeout", String.valueOf(socketTimeoutMs));
        }
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
        Outages outages = context.getRegistry().lookupByNameAndType("outages", Outages.class);
        pool.setExceptionOverride(new SQLExceptionOverride() {
            @java.lang.Override
            public Override adjudicate(SQLException e) {
                outages.failed("database", e);
                return Override.CONTINUE_EVICT;
            }
        });
        HikariDataSource dataSource = new HikariDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                try {
                    return super.getConnection();
                } catch (SQLException e) {
                    outages.failed("database", e);
                    throw e;
                }
            }
        };
        pool.copyStateTo(dataSource);
        migrate(context, dataSource);

        DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
        context.getRegistry().bind("dataSource", dataSource);
        context.getRegistry().bind("transactionManager", transactionManager);
        context.getRegistry().bind("PROPAGATION_REQUIRED", new SpringTransactionPolicy(transactionManager));
        TransactionTemplate readCommitted = new TransactionTemplate(transactionManager);
        readCommitted.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        context.getRegistry().bind(READ_COMMITTED, new SpringTransactionPolicy(readCommitted));
        // H2 would close itself as the JVM begins to exit, in the middle of the drain a stop starts
        // with (application.properties, db.url); the pool closes once the context has stopped.
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
            }
        }, true, true);
    }

    /**
     * Connects (the pool opens on its first use, waiting up to DB_STARTUP_WAIT_MS) and brings the
     * schema up to date, on a connection of its own without DB_SOCKET_TIMEOUT_MS: a migration may
     * take longer than any statement of a request.
     */
    private void migrate(CamelContext context, HikariDataSource dataSource) {
        String address = withoutCredentials(url);
        ScheduledExecutorService clock = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "database-wait");
        ScheduledFuture<?> stillWaiting = clock.schedule(() -> LOG.info("Still connecting to (or migrating) the database at {} after"
                + " {} ms; waiting up to DB_STARTUP_WAIT_MS ({} s) from the first try", address, connectionTimeoutMs, startupWaitMs / 1000),
                connectionTimeoutMs, TimeUnit.MILLISECONDS);
        try {
            dataSource.getConnection().close();
            Flyway.configure().dataSource(url, user, password).load().migrate();
        } catch (SQLException | RuntimeException e) {
            SQLException unreachable = connectionFailure(e);
            if (unreachable != null) {
                throw new IllegalStateException("The database at " + address + " did not answer within "
                        + startupWaitMs / 1000 + " s (DB_STARTUP_WAIT_MS): " + unreachable.getMessage(), e);
            }
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getMessage(), e);
        } finally {
            stillWaiting.cancel(false);
            context.getExecutorServiceManager().shutdown(clock);
        }
    }

    /** The JDBC URL as an operator may read it: no user or password in it, no query parameters. */
    static String withoutCredentials(String jdbcUrl) {
        return jdbcUrl.replaceFirst("\\?.*$", "").replaceFirst("//[^/@]*@", "//");
    }

    /** SQL state class 08: the connection could not be made (or was lost), whatever the driver. */
    private static SQLException connectionFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return sql;
            }
        }
        return null;
    }
}
