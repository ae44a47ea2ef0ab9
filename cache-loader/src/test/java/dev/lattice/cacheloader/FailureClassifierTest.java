package dev.lattice.cacheloader;

import static dev.lattice.cacheloader.jdbc.FailureClassifier.Kind.DATABASE_FAILED;
import static dev.lattice.cacheloader.jdbc.FailureClassifier.Kind.ENTRY_REJECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.jdbc.FailureClassifier;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TcpProxy;
import dev.lattice.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Classification of errors the real PostgreSQL and driver produce, so the dead-letter rule rests on facts. */
class FailureClassifierTest {

    private static TestDatabase db;

    @BeforeAll
    static void createTable() throws SQLException {
        db = PostgresFixture.createDatabase();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id text PRIMARY KEY, v jsonb, n text CHECK (length(n) < 5))");
        }
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static SQLException failure(String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("expected the database to refuse: " + sql);
    }

    @Test
    void checkConstraintViolation_isEntryRejected() {
        assertThat(FailureClassifier.classify(failure("INSERT INTO t (id, n) VALUES ('a', 'too long')"))).isEqualTo(ENTRY_REJECTED);
    }

    @Test
    void invalidJson_isEntryRejected() {
        assertThat(FailureClassifier.classify(failure("INSERT INTO t (id, v) VALUES ('a', '{not json')"))).isEqualTo(ENTRY_REJECTED);
    }

    @Test
    void nullKey_isEntryRejected() {
        assertThat(FailureClassifier.classify(failure("INSERT INTO t (id) VALUES (NULL)"))).isEqualTo(ENTRY_REJECTED);
    }

    @Test
    void rejectedRowInsideJdbcBatch_isEntryRejected() throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, n) VALUES (?, ?)")) {
            ps.setString(1, "b1");
            ps.setString(2, "ok");
            ps.addBatch();
            ps.setString(1, "b2");
            ps.setString(2, "far too long");
            ps.addBatch();
            ps.executeBatch();
            throw new AssertionError("batch should fail");
        } catch (SQLException e) {
            assertThat(FailureClassifier.classify(e)).isEqualTo(ENTRY_REJECTED);
        }
    }

    @Test
    void missingTable_isDatabaseFailed_notTheEntrysFault() {
        assertThat(FailureClassifier.classify(failure("INSERT INTO missing_table VALUES (1)"))).isEqualTo(DATABASE_FAILED);
    }

    @Test
    void connectionTerminatedByServer_isDatabaseFailed() throws SQLException {
        try (Connection victim = db.connect(); Connection admin = db.connect()) {
            int pid;
            try (Statement s = victim.createStatement(); var rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            try (PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
                ps.setInt(1, pid);
                ps.execute();
            }
            try (Statement s = victim.createStatement()) {
                s.execute("SELECT 1");
                throw new AssertionError("terminated connection should fail");
            } catch (SQLException e) {
                assertThat(FailureClassifier.classify(e)).isEqualTo(DATABASE_FAILED);
            }
        }
    }

    @Test
    void poolTimeoutWhileDatabaseUnreachable_isDatabaseFailed() {
        try (TcpProxy proxy = TcpProxy.start(Fixtures.host(db), Fixtures.port(db));
             HikariDataSource pool = Fixtures.pool(Fixtures.viaPort(db, proxy.port()), db)) {
            proxy.cut();
            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                    .satisfies(e -> assertThat(FailureClassifier.classify(e)).isEqualTo(DATABASE_FAILED));
        }
    }

    @Test
    void sqlStates_followTheDocumentedClasses() {
        assertThat(FailureClassifier.classify(new SQLException("x", "22001"))).isEqualTo(ENTRY_REJECTED);
        assertThat(FailureClassifier.classify(new SQLException("x", "54000"))).isEqualTo(ENTRY_REJECTED);
        assertThat(FailureClassifier.classify(new SQLException("x", "08006"))).isEqualTo(DATABASE_FAILED);
        assertThat(FailureClassifier.classify(new SQLException("x", "57P01"))).isEqualTo(DATABASE_FAILED);
        assertThat(FailureClassifier.classify(new SQLException("x", "53300"))).isEqualTo(DATABASE_FAILED);
        assertThat(FailureClassifier.classify(new SQLException("no state"))).isEqualTo(DATABASE_FAILED);
        assertThat(FailureClassifier.classify(new RuntimeException(new SQLException("x", "23505")))).isEqualTo(ENTRY_REJECTED);
    }
}
