package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which rows of a refused batch the database refuses, found in a transaction that is rolled back:
 * nothing is written. Each row is tried under its own savepoint, so one refusal does not hide the
 * next. Used where a batch must be written whole or not at all ({@link TableWriter#writeAllOrNothing}).
 */
final class RejectedRows {

    private RejectedRows() {
    }

    /** The refusal of each refused candidate, by index; a database failure (not a refusal) is thrown. */
    static Map<Integer, SQLException> find(MapTable table, List<Write> writes, Object[][] rows, List<Integer> candidates)
            throws SQLException {
        Map<Integer, SQLException> refused = new HashMap<>();
        try (Connection c = table.connection();
             PreparedStatement upsert = c.prepareStatement(table.sql().upsert);
             PreparedStatement delete = c.prepareStatement(table.sql().deleteMany)) {
            c.setAutoCommit(false);
            try {
                for (int i : candidates) {
                    Savepoint before = c.setSavepoint();
                    try {
                        execute(c, writes.get(i).delete() ? delete : upsert, rows[i], writes.get(i).delete(), table);
                        c.releaseSavepoint(before);
                    } catch (SQLException e) {
                        if (FailureClassifier.classify(e) == FailureClassifier.Kind.DATABASE_FAILED) {
                            throw e;
                        }
                        c.rollback(before);
                        refused.put(i, e);
                    }
                }
            } finally {
                c.rollback();
            }
        }
        return refused;
    }

    private static void execute(Connection c, PreparedStatement ps, Object[] row, boolean delete, MapTable table)
            throws SQLException {
        if (delete) {
            ps.setArray(1, c.createArrayOf(table.sql().keyArrayType, new Object[] {row[0]}));
        } else {
            ps.setObject(1, row[0]);
            ps.setObject(2, row[1]);
        }
        ps.executeUpdate();
    }
}
