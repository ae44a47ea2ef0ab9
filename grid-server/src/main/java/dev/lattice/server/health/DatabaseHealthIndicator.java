package dev.lattice.server.health;

import dev.lattice.cacheloader.jdbc.FailureClassifier;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether the database behind the backed maps answers. It is part of overall health, not of
 * liveness (restarting a node does not bring a database back) nor of readiness (a node serves
 * reads and queues writes while the database is away, which is what write-behind is for).
 */
final class DatabaseHealthIndicator extends AbstractHealthIndicator {

    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;

    DatabaseHealthIndicator(DataSource dataSource) {
        super("Database health check failed");
        this.dataSource = dataSource;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                builder.up();
            } else {
                builder.down().withDetail("reason", "connection did not validate within " + VALIDATION_TIMEOUT_SECONDS + " s");
            }
        } catch (SQLException e) {
            builder.down().withDetail("reason", FailureClassifier.describeSafely(e));
        }
    }
}
