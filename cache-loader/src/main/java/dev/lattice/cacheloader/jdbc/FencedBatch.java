package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import java.lang.reflect.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A batch of upserts and deletes written as one fenced statement ({@link SqlStatements#fencedBatch})
 * in autocommit: the epoch check, the writes and the commit in a single round trip. The earlier
 * shape (lock the epoch rows, upsert, delete, commit) took at least three, and on a backlog the
 * drainer's writers spent a third of their time in the lock and the commit alone.
 *
 * <p>The statement itself decides which partitions pass: their epoch rows are locked (shared)
 * before any of their rows is written, and a claim, which updates those rows, waits for the
 * statement to commit, or the statement sees the claim's new epoch and writes nothing of that
 * partition. A partition that missed only because another thread of this member claimed its newer
 * version meanwhile is written once more under that claim ({@link Fence#lost}), as a single write is.
 */
final class FencedBatch {

    private final MapTable table;
    private final Fence fence;

    FencedBatch(MapTable table, Fence fence) {
        this.table = table;
        this.fence = fence;
    }

    /**
     * Writes the entries at {@code indices} (distinct keys) of the partitions in {@code epochs}, under
     * the epochs given; returns the partitions fenced out (claimed by another member), whose entries
     * are not written. The other partitions' entries are in the table, except with {@code
     * allOrNothing}: then nothing is written unless no partition was fenced out.
     */
    Set<Integer> write(Connection c, Map<Integer, Long> epochs, List<Write> writes, Object[][] rows, List<Integer> indices,
            boolean allOrNothing) throws SQLException {
        Map<Integer, Long> attempt = epochs;
        Set<Integer> fenced = new HashSet<>();
        // A second attempt only for partitions this member claimed again itself in between.
        for (int tries = 0; tries < 2 && !attempt.isEmpty(); tries++) {
            Set<Integer> passed = execute(c, attempt, writes, rows, indices, allOrNothing);
            Map<Integer, Long> again = new HashMap<>();
            for (Map.Entry<Integer, Long> used : attempt.entrySet()) {
                if (!passed.contains(used.getKey())) {
                    Long own = fence.lost(used.getKey(), used.getValue());
                    if (own != null && tries == 0) {
                        again.put(used.getKey(), own);
                    } else {
                        fenced.add(used.getKey());
                    }
                }
            }
            if (allOrNothing && !again.isEmpty()) {
                // Nothing was written: all of it again, under the newer claims, unless a partition is gone.
                Map<Integer, Long> all = new HashMap<>(attempt);
                all.putAll(again);
                again = fenced.isEmpty() ? all : Map.of();
            }
            attempt = again;
        }
        return fenced;
    }

    /** One statement for the entries of {@code epochs}' partitions; returns the partitions that passed the check. */
    private Set<Integer> execute(Connection c, Map<Integer, Long> epochs, List<Write> writes, Object[][] rows,
            List<Integer> indices, boolean allOrNothing) throws SQLException {
        Map<Integer, List<Long>> accepted = fence.accepted(epochs);
        List<Integer> acceptedPartitions = new ArrayList<>();
        List<Long> acceptedEpochs = new ArrayList<>();
        accepted.forEach((p, list) -> list.forEach(e -> {
            acceptedPartitions.add(p);
            acceptedEpochs.add(e);
        }));
        List<Object> upsertKeys = new ArrayList<>();
        List<Object> upsertValues = new ArrayList<>();
        List<Integer> upsertPartitions = new ArrayList<>();
        List<Object> deleteKeys = new ArrayList<>();
        List<Integer> deletePartitions = new ArrayList<>();
        for (int i : indices) {
            Write w = writes.get(i);
            if (!epochs.containsKey(w.partition())) {
                continue;
            }
            if (w.delete()) {
                deleteKeys.add(rows[i][0]);
                deletePartitions.add(w.partition());
            } else {
                upsertKeys.add(rows[i][0]);
                upsertValues.add(rows[i][1]);
                upsertPartitions.add(w.partition());
            }
        }
        String keyType = table.sql().keyArrayType;
        Class<?> keyClass = table.settings().keyType().javaType();
        Set<Integer> passed = new HashSet<>();
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement(table.sql().fencedBatch)) {
            ps.setString(1, table.mapName());
            ps.setArray(2, c.createArrayOf("int4", epochs.keySet().toArray(Integer[]::new)));
            ps.setArray(3, c.createArrayOf("int4", acceptedPartitions.toArray(Integer[]::new)));
            ps.setArray(4, c.createArrayOf("int8", acceptedEpochs.toArray(Long[]::new)));
            ps.setInt(5, allOrNothing ? epochs.size() : 0);
            ps.setArray(6, c.createArrayOf(keyType, typed(upsertKeys, keyClass)));
            ps.setArray(7, c.createArrayOf(table.values().arrayType(), typed(upsertValues, table.values().encodedType())));
            ps.setArray(8, c.createArrayOf("int4", upsertPartitions.toArray(Integer[]::new)));
            ps.setArray(9, c.createArrayOf(keyType, typed(deleteKeys, keyClass)));
            ps.setArray(10, c.createArrayOf("int4", deletePartitions.toArray(Integer[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    passed.add(rs.getInt(1));
                }
            }
        }
        return passed;
    }

    /** The elements in an array of their own class: the driver picks the array's encoding by it. */
    private static Object[] typed(List<Object> elements, Class<?> type) {
        return elements.toArray((Object[]) Array.newInstance(type, elements.size()));
    }
}
