package dev.lattice.cacheloader.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what a member saved to disk at shutdown ({@code ShutdownSpool}) to the table, partition by
 * partition, each in a transaction that first locks the partition's epoch row. If nobody has
 * claimed the partition since the saving member did, the saved writes are the newest and are
 * written. If another member has written it since, the saved writes may be older than what the
 * table holds, so they are not written over it: they go to the dead-letter table for an operator
 * to review, with the reason. Nothing is dropped either way.
 */
public final class SpoolReplay {

    private static final Logger log = LoggerFactory.getLogger(SpoolReplay.class);

    private static final String LOCK = "SELECT epoch FROM " + Fence.TABLE + " WHERE map_name = ? AND partition_id = ? FOR UPDATE";

    private final MapTable table;
    private final DeadLetters deadLetters;

    public SpoolReplay(MapTable table, DeadLetters deadLetters) {
        this.table = table;
        this.deadLetters = deadLetters;
    }

    /**
     * Applies {@code writes} (in the order they were saved).
     *
     * @return how many were written to the table; the rest were dead-lettered
     * @throws SQLException if the database failed; nothing of the failed partition was applied, so replaying again is safe
     */
    public int replay(List<SpooledWrite> writes) throws SQLException {
        Map<Integer, Map<String, SpooledWrite>> byPartition = new TreeMap<>();
        for (SpooledWrite write : writes) {
            // The last saved write of a key is its state; earlier ones are superseded.
            Map<String, SpooledWrite> last = byPartition.computeIfAbsent(write.partition(), p -> new LinkedHashMap<>());
            last.remove(write.key());
            last.put(write.key(), write);
        }
        int written = 0;
        for (Map.Entry<Integer, Map<String, SpooledWrite>> partition : byPartition.entrySet()) {
            written += replayPartition(partition.getKey(), new ArrayList<>(partition.getValue().values()));
        }
        return written;
    }

    private int replayPartition(int partition, List<SpooledWrite> writes) throws SQLException {
        long saved = writes.get(0).epoch();
        try (Connection c = table.connection()) {
            c.setAutoCommit(false);
            try {
                Long current = currentEpoch(c, partition);
                boolean unchanged = current == null ? saved < 0 : current == saved;
                int written = 0;
                if (unchanged) {
                    written = apply(c, writes);
                    c.commit();
                } else {
                    c.rollback();
                    for (SpooledWrite write : writes) {
                        deadLetters.recordText(write.key(), write.value(), "saved at shutdown while the database was unreachable, but partition " + partition
                                        + " was written by another member since (epoch " + current + ", saved under "
                                        + saved + "): review before replaying, the table may hold a newer value", 0);
                    }
                    log.warn("map '{}': {} write(s) saved at shutdown for partition {} went to the dead-letter table:"
                            + " the partition was written by another member since", table.mapName(), writes.size(), partition);
                }
                return written;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Long currentEpoch(Connection c, int partition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK)) {
            ps.setString(1, table.mapName());
            ps.setInt(2, partition);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** Applies each write with a savepoint, so a row the table rejects is dead-lettered and the others land. */
    private int apply(Connection c, List<SpooledWrite> writes) throws SQLException {
        int written = 0;
        for (SpooledWrite write : writes) {
            Savepoint savepoint = c.setSavepoint();
            try {
                table.writeText(c, write.key(), write.value());
                c.releaseSavepoint(savepoint);
                written++;
            } catch (SQLException e) {
                if (FailureClassifier.classify(e) != FailureClassifier.Kind.ENTRY_REJECTED) {
                    throw e;
                }
                c.rollback(savepoint);
                deadLetters.recordText(write.key(), write.value(), FailureClassifier.describe(e), 1);
            }
        }
        return written;
    }
}
