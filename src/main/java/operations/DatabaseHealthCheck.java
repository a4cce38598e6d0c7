package operations;

import java.sql.Connection;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness only: without the database no order can be answered, but the process itself is
 * fine and must not be restarted for it (liveness stays up).
 */
public final class DatabaseHealthCheck extends ReadinessCheck {

    private final DataSource dataSource;

    public DatabaseHealthCheck(DataSource dataSource) {
        super("database");
        this.dataSource = dataSource;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(2)) {
                builder.up();
            } else {
                builder.message("The database connection is not valid").down();
            }
        } catch (Exception e) {
            builder.message("The database is not reachable: " + e.getMessage()).down();
        }
    }
}
