package dev.lattice.faults;

import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TcpProxy;
import dev.lattice.testsupport.TestDatabase;
import java.net.InetAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh database for one scenario, owned by a non-superuser role the nodes log in as (a
 * superuser would ignore connection limits and could mask permission mistakes), reached by the
 * nodes only through a {@link TcpProxy} the test can cut: a database outage without touching the
 * shared server.
 */
final class FaultDatabase implements AutoCloseable {

    private final TestDatabase database;
    private final String role;
    private final String password;
    private final TcpProxy proxy;

    private final InetAddress proxyAddress;

    private FaultDatabase(TestDatabase database, String role, String password, TcpProxy proxy, InetAddress proxyAddress) {
        this.proxyAddress = proxyAddress;
        this.database = database;
        this.role = role;
        this.password = password;
        this.proxy = proxy;
    }

    static FaultDatabase create() {
        return create(InetAddress.getLoopbackAddress());
    }

    /** As {@link #create()}, with the nodes' proxy listening on {@code proxyAddress}. */
    static FaultDatabase create(InetAddress proxyAddress) {
        TestDatabase database = PostgresFixture.createDatabase();
        String role = "lattice_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String password = UUID.randomUUID().toString();
        try (Connection admin = database.connect(); Statement s = admin.createStatement()) {
            // Identifiers and password are generated above, never taken from outside.
            s.execute("CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + password + "'");
            s.execute("ALTER DATABASE " + database.name() + " OWNER TO " + role);
            s.execute("ALTER SCHEMA public OWNER TO " + role);
        } catch (SQLException e) {
            database.close();
            throw new IllegalStateException("could not create the nodes' role: " + e.getMessage(), e);
        }
        URI server = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        TcpProxy proxy = TcpProxy.start(server.getHost(), server.getPort(), proxyAddress);
        return new FaultDatabase(database, role, password, proxy, proxyAddress);
    }

    /** What the nodes use: the proxy, the role. */
    String nodeUrl() {
        return "jdbc:postgresql://" + proxyAddress.getHostAddress() + ":" + proxy.port() + "/" + database.name();
    }

    /** As {@link #nodeUrl()}, naming the connections {@code node} (PostgreSQL's {@code application_name}). */
    String nodeUrl(String node) {
        return nodeUrl() + "?ApplicationName=" + node;
    }

    /** A direct connection as the database's administrator, past the proxy. */
    Connection connectAsAdmin() throws SQLException {
        return database.connect();
    }

    String role() {
        return role;
    }

    String password() {
        return password;
    }

    /** The database stops answering: live connections drop, new ones are refused. */
    void cut() {
        proxy.cut();
    }

    void restore() {
        proxy.restore();
    }

    /** What a failover or an operator's {@code pg_terminate_backend} does to every node connection. */
    int terminateNodeConnections() throws SQLException {
        try (Connection admin = database.connect(); PreparedStatement ps = admin.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Writes to {@code table} stall until the returned lock is closed: connections, reads and every
     * other table still work, as in a database that holds a long lock or cannot write to its disk.
     * The nodes' write-behind queues then grow, as they do in an outage, while a node can still start.
     */
    AutoCloseable stallWrites(String table) throws SQLException {
        Connection admin = database.connect();
        try {
            admin.setAutoCommit(false);
            try (Statement s = admin.createStatement()) {
                // The table name is the test's own constant, never input.
                s.execute("LOCK TABLE " + table + " IN EXCLUSIVE MODE");
            }
        } catch (SQLException | RuntimeException e) {
            admin.close();
            throw e;
        }
        return () -> {
            try (admin) {
                admin.commit();
            }
        };
    }

    /** Key to value of every row of {@code table} (id, value text columns), read directly, not through the proxy. */
    Map<String, String> rows(String table) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, value FROM " + table)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }

    /** Inserts {@code rows} (id, value) into the fault map's table in one batch, as the admin. */
    void insertRows(Map<String, String> rows) throws SQLException {
        try (Connection c = database.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + Grid.MAP + " (id, value) VALUES (?, ?)")) {
            for (Map.Entry<String, String> row : rows.entrySet()) {
                insert.setString(1, row.getKey());
                insert.setString(2, row.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        proxy.close();
        database.close();
        try {
            PostgresFixture.executeAsAdmin("DROP ROLE IF EXISTS " + role);
        } catch (RuntimeException e) {
            // A leftover role owns nothing: its database is gone.
        }
    }
}
