package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.jdbc.FailureClassifier.Kind;
import dev.lattice.cacheloader.jdbc.TableWriter.Outcome;
import dev.lattice.cacheloader.jdbc.TableWriter.Result;
import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import dev.lattice.cacheloader.metrics.MapStoreMetrics.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * {@link TableWriter}'s entry-by-entry path: each write is one fenced statement in autocommit (the
 * epoch check and the upsert or delete in one round trip). Used alone for single writes, where it
 * is the cheapest shape, and after a batch the database refused, so that the others land and only
 * the refused entries are reported.
 */
final class SingleWrites {

    private final MapTable table;
    private final Fence fence;

    SingleWrites(MapTable table, Fence fence) {
        this.table = table;
        this.fence = fence;
    }

    /** Writes the entries at {@code candidates}, recording each outcome in {@code result}. */
    void write(List<Write> writes, Object[][] rows, List<Integer> candidates, Ownership view, boolean mayClaim,
            Result result) {
        if (candidates.isEmpty()) {
            return;
        }
        Fence.Epochs epochs;
        try {
            epochs = MapTable.withReconnect(() -> {
                try (Connection c = table.connection()) {
                    c.setAutoCommit(true);
                    return fence.epochs(c, TableWriter.partitions(writes, candidates), view, mayClaim);
                }
            });
        } catch (SQLException e) {
            result.failed(e);
            table.metrics().databaseError("database_failed");
            return;
        }
        for (int i : candidates) {
            Write w = writes.get(i);
            Long epoch = epochs.granted().get(w.partition());
            if (epoch == null) {
                result.set(i, epochs.waiting().contains(w.partition()) ? Outcome.WAITING : Outcome.FENCED, null);
                continue;
            }
            long start = System.nanoTime();
            try {
                boolean written = writeFenced(w, rows[i], epoch);
                result.set(i, written ? Outcome.STORED : Outcome.FENCED, null);
                record(start, written ? 1 : 0, true);
            } catch (SQLException failure) {
                record(start, 1, false);
                if (FailureClassifier.classify(failure) == Kind.DATABASE_FAILED) {
                    result.failed(failure);
                    table.metrics().databaseError("database_failed");
                    return;
                }
                table.metrics().databaseError("entry_rejected");
                result.set(i, Outcome.REJECTED, failure);
            }
        }
    }

    /**
     * Writes one entry under its partition's epoch. If the epoch moved on because another thread of
     * this member claimed the partition's newer version meanwhile, the write goes again under that
     * claim (once: a second miss is a takeover); if another member claimed it, it is not written.
     */
    private boolean writeFenced(Write w, Object[] row, long epoch) throws SQLException {
        if (MapTable.withReconnect(() -> writeOne(w, row, epoch))) {
            return true;
        }
        Long own = fence.lost(w.partition(), epoch);
        if (own == null) {
            return false;
        }
        if (MapTable.withReconnect(() -> writeOne(w, row, own))) {
            return true;
        }
        fence.lost(w.partition(), own);
        return false;
    }

    private boolean writeOne(Write w, Object[] row, long epoch) throws SQLException {
        try (Connection c = table.connection();
             PreparedStatement ps = c.prepareStatement(w.delete() ? table.sql().fencedDelete : table.sql().fencedUpsert)) {
            c.setAutoCommit(true);
            ps.setString(1, table.mapName());
            ps.setInt(2, w.partition());
            ps.setLong(3, epoch);
            ps.setObject(4, row[0]);
            if (!w.delete()) {
                ps.setObject(5, row[1]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    private void record(long start, int entries, boolean success) {
        table.metrics().record(Operation.STORE, System.nanoTime() - start, entries, success);
    }
}
