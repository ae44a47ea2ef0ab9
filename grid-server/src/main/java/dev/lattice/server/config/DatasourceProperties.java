package dev.lattice.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The database behind maps with a {@code store}, under {@code lattice.datasource}. With no
 * {@link #url}, Lattice starts an embedded PostgreSQL that keeps its data in
 * {@link Embedded#dataDir}, so a single node persists with no setup at all.
 */
public class DatasourceProperties {

    /** JDBC URL of the PostgreSQL database, e.g. {@code jdbc:postgresql://db:5432/lattice}. Default: none (embedded). */
    private String url;

    /** Database user. Default: none (from the URL, or {@code postgres} for the embedded database). */
    private String user;

    /** Password. Prefer {@link #passwordEnv} or {@link #passwordFile}, which keep it out of config files. Default: none. */
    private String password;

    /** Name of an environment variable holding the password. Default: none. */
    private String passwordEnv;

    /** File holding the password (e.g. a mounted Kubernetes secret); trailing newline ignored. Default: none. */
    private Path passwordFile;

    /** Connections in the pool. Default 4. */
    private int poolSize = 4;

    /**
     * Write-behind transactions in flight at once per map on this node, each on its own pooled
     * connection: more drains a backlog faster where the database has cores to spare, but leaves
     * fewer connections for loads and write-through. At most {@code pool-size}, and at most 64. Default 2.
     */
    private int writeParallelism = 2;

    /** How long to wait for a connection before a write fails and is retried. Default 2s. */
    private Duration connectionTimeout = Duration.ofSeconds(2);

    /**
     * How long a starting node waits for the database to answer before it gives up (and fails to
     * start, naming the URL). Nodes often start before their database (a Kubernetes rollout, a
     * rebooted host). Default 60s.
     */
    private Duration startupTimeout = Duration.ofSeconds(60);

    /**
     * Where a stopping node saves write-behind writes it could not store because the database was
     * unreachable; a node started again with the same directory writes them to the tables before
     * anything else. Keep it on persistent storage. Default {@code ./data/spool}.
     */
    private Path spoolDirectory = Path.of("data", "spool");

    private final Embedded embedded = new Embedded();

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getPasswordEnv() {
        return passwordEnv;
    }

    public void setPasswordEnv(String passwordEnv) {
        this.passwordEnv = passwordEnv;
    }

    public Path getPasswordFile() {
        return passwordFile;
    }

    public void setPasswordFile(Path passwordFile) {
        this.passwordFile = passwordFile;
    }

    public int getPoolSize() {
        return poolSize;
    }

    public void setPoolSize(int poolSize) {
        this.poolSize = poolSize;
    }

    public int getWriteParallelism() {
        return writeParallelism;
    }

    public void setWriteParallelism(int writeParallelism) {
        this.writeParallelism = writeParallelism;
    }

    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    public Path getSpoolDirectory() {
        return spoolDirectory;
    }

    public void setSpoolDirectory(Path spoolDirectory) {
        this.spoolDirectory = spoolDirectory;
    }

    public Embedded getEmbedded() {
        return embedded;
    }

    /**
     * The embedded PostgreSQL used when no {@code url} is set. Nodes on one machine with the same
     * data directory share one server; nodes on several machines need a real PostgreSQL.
     */
    public static class Embedded {

        /** Where the embedded database keeps its files. Default {@code ./data/postgres}. */
        private Path dataDir = Path.of("data", "postgres");

        /** Loopback port of the embedded database; 0 picks a free one. Default 0. */
        private int port;

        public Path getDataDir() {
            return dataDir;
        }

        public void setDataDir(Path dataDir) {
            this.dataDir = dataDir;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }
    }
}
