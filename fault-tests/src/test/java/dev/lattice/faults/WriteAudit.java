package dev.lattice.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every change the nodes make to the map's table and to the fencing table, with the
 * writing node (its JDBC application name), transaction and time, so a run that ends with a stale
 * key can say whether its last acknowledged value never reached the table or was overwritten, and by
 * whom. Installed by the database owner (a superuser) with triggers the nodes' role cannot avoid;
 * it costs one extra insert per row written, which the scenarios' load tolerates.
 */
final class WriteAudit {

    private final FaultDatabase database;

    private WriteAudit(FaultDatabase database) {
        this.database = database;
    }

    /** Installs the triggers on {@code table} (which the nodes have created) and on the fencing table. */
    static WriteAudit install(FaultDatabase database, String table) {
        // The table name is the test's own constant, never input.
        String[] ddl = {
                "CREATE TABLE fault_audit (seq bigserial PRIMARY KEY, id text, value text, op text,"
                        + " at timestamptz NOT NULL DEFAULT clock_timestamp(), tx bigint NOT NULL DEFAULT txid_current(),"
                        + " node text NOT NULL DEFAULT current_setting('application_name'),"
                        + " pid int NOT NULL DEFAULT pg_backend_pid(), tx_start timestamptz NOT NULL DEFAULT now())",
                "CREATE INDEX ON fault_audit (id)",
                "CREATE FUNCTION fault_audit_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN"
                        + " IF TG_OP = 'DELETE' THEN INSERT INTO fault_audit (id, value, op) VALUES (OLD.id, OLD.value, TG_OP);"
                        + " ELSE INSERT INTO fault_audit (id, value, op) VALUES (NEW.id, NEW.value, TG_OP); END IF;"
                        + " RETURN NULL; END $$",
                "CREATE TRIGGER fault_audit_row AFTER INSERT OR UPDATE OR DELETE ON " + table
                        + " FOR EACH ROW EXECUTE FUNCTION fault_audit_row()",
                "CREATE TABLE fault_audit_epoch (seq bigserial PRIMARY KEY, partition_id int, epoch bigint,"
                        + " partition_version int, owner_member uuid, cluster_id uuid,"
                        + " at timestamptz NOT NULL DEFAULT clock_timestamp(), node text NOT NULL DEFAULT current_setting('application_name'))",
                "CREATE FUNCTION fault_audit_epoch_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN"
                        + " INSERT INTO fault_audit_epoch (partition_id, epoch, partition_version, owner_member, cluster_id)"
                        + " VALUES (NEW.partition_id, NEW.epoch, NEW.partition_version, NEW.owner_member, NEW.cluster_id);"
                        + " RETURN NULL; END $$",
                "CREATE TRIGGER fault_audit_epoch_row AFTER INSERT OR UPDATE ON lattice_partition_epoch"
                        + " FOR EACH ROW EXECUTE FUNCTION fault_audit_epoch_row()"};
        try (Connection admin = database.connectAsAdmin(); Statement s = admin.createStatement()) {
            for (String statement : ddl) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not install the write audit: " + e.getMessage(), e);
        }
        return new WriteAudit(database);
    }

    /** Every recorded change of {@code key}, oldest first, one line each. */
    List<String> historyOf(String key) throws SQLException {
        return lines("SELECT to_char(at AT TIME ZONE 'UTC', 'HH24:MI:SS.MS'), node, op, value, 'tx ' || tx, 'pid ' || pid,"
                + " 'tx began ' || to_char(tx_start AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') FROM fault_audit WHERE id = ? ORDER BY seq",
                ps -> ps.setString(1, key));
    }

    /** Every claim of {@code partition}, oldest first. */
    List<String> claimsOf(int partition) throws SQLException {
        return lines("SELECT to_char(at AT TIME ZONE 'UTC', 'HH24:MI:SS.MS'), node, 'epoch ' || epoch, 'version ' || partition_version,"
                + " left(owner_member::text, 8) FROM fault_audit_epoch WHERE partition_id = ? ORDER BY seq", ps -> ps.setInt(1, partition));
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<String> lines(String sql, Binder binder) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = database.connectAsAdmin(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder line = new StringBuilder("  ");
                    for (int i = 1; i <= columns; i++) {
                        line.append(i > 1 ? " | " : "").append(rs.getString(i));
                    }
                    lines.add(line.toString());
                }
            }
        }
        return lines;
    }
}
