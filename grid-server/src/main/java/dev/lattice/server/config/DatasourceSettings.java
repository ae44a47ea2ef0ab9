package dev.lattice.server.config;

import dev.lattice.cacheloader.config.DataSourceSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The database behind backed maps, validated.
 *
 * @param external  the configured PostgreSQL, or null for the embedded one
 * @param poolSize  connections, also for the embedded database
 * @param writeParallelism  write-behind transactions in flight per map, at most {@code poolSize}
 */
public record DatasourceSettings(@Nullable DataSourceSettings external, Path embeddedDataDir, int embeddedPort, int poolSize,
                                 int writeParallelism, Duration startupTimeout, Path spoolDirectory) {
}
