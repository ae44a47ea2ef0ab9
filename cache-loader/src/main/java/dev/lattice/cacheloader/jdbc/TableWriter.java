package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.jdbc.FailureClassifier.Kind;
import dev.lattice.cacheloader.metrics.MapStoreMetrics.Operation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes batches of upserts and deletes to a map's table, each guarded by the {@link Fence}, and
 * reports what happened to every entry instead of throwing, so callers with different contracts
 * (write-through callers, the write-behind drainer, the shutdown flush) decide for themselves.
 *
 * <p>A batch is one statement, so one transaction ({@link FencedBatch}): the epoch rows of its
 * partitions are locked and checked, and the upserts and deletes of the partitions that passed are
 * written. When the database rejects an entry (a constraint, invalid JSON, a value too long),
 * nothing of the statement is written and the entries are written one by one, each in one fenced
 * statement, so the others land and only the rejected ones are reported. When the database itself
 * fails, nothing of the statement is written and the failure is returned.
 */
public final class TableWriter {

    /** One entry to write; a null value deletes the key. {@code handle} is the caller's, passed through. */
    public record Write(Object key, Object value, int partition, Object handle) {
        boolean delete() {
            return value == null;
        }
    }

    public enum Outcome {
        /** In the table (or deleted from it). */
        STORED,
        /** The database refused this entry; {@link Result#error(int)} says why. */
        REJECTED,
        /** Another member owns the partition now: this member must not write it. */
        FENCED,
        /**
         * This member owns the partition but may not claim it while it sees, or has heard lately from,
         * fewer members than the minimum cluster size: the write must wait (and must not be dropped).
         */
        WAITING,
        /** Not tried, because the database failed first ({@link Result#databaseFailure()}). */
        NOT_ATTEMPTED
    }

    /** What happened to each write, in the order given. */
    public static final class Result {
        private final Outcome[] outcomes;
        private final Throwable[] errors;
        private SQLException databaseFailure;

        Result(int size) {
            outcomes = new Outcome[size];
            errors = new Throwable[size];
            Arrays.fill(outcomes, Outcome.NOT_ATTEMPTED);
        }

        public Outcome outcome(int index) {
            return outcomes[index];
        }

        public Throwable error(int index) {
            return errors[index];
        }

        /** The database failure that stopped the batch, or null. */
        public SQLException databaseFailure() {
            return databaseFailure;
        }

        void set(int index, Outcome outcome, Throwable error) {
            outcomes[index] = outcome;
            errors[index] = error;
        }

        void failed(SQLException failure) {
            databaseFailure = failure;
        }

        /** The outcomes of {@code count} writes from {@code from}, as if they had been written alone; the failure is shared. */
        Result slice(int from, int count) {
            Result slice = new Result(count);
            System.arraycopy(outcomes, from, slice.outcomes, 0, count);
            System.arraycopy(errors, from, slice.errors, 0, count);
            slice.databaseFailure = databaseFailure;
            return slice;
        }

        public int count(Outcome outcome) {
            return (int) Arrays.stream(outcomes).filter(o -> o == outcome).count();
        }
    }

    private final MapTable table;
    private final Fence fence;
    private final int minimumClusterSize;
    private final SingleWrites single;
    private final FencedBatch batch;

    public TableWriter(MapTable table, Fence fence, int minimumClusterSize) {
        this.table = table;
        this.fence = fence;
        this.minimumClusterSize = minimumClusterSize;
        this.single = new SingleWrites(table, fence);
        this.batch = new FencedBatch(table, fence);
    }

    /** Writes {@code writes} (distinct keys) as one transaction, or one by one if an entry is rejected. */
    public Result write(List<Write> writes, Ownership view) {
        return write(writes, view, false);
    }

    /**
     * Writes {@code writes} (distinct keys) as one transaction or not at all: if the database refuses
     * an entry, none is written, the refused ones are {@link Outcome#REJECTED} with their reason and
     * the others stay {@link Outcome#NOT_ATTEMPTED}.
     */
    public Result writeAllOrNothing(List<Write> writes, Ownership view) {
        return write(writes, view, true);
    }

    private Result write(List<Write> writes, Ownership view, boolean allOrNothing) {
        Result result = new Result(writes.size());
        Object[][] rows = encode(writes, result);
        List<Integer> candidates = indices(result, Outcome.NOT_ATTEMPTED);
        if (candidates.isEmpty() || (allOrNothing && candidates.size() < writes.size())) {
            return result;
        }
        long start = System.nanoTime();
        try {
            Map<Integer, Outcome> held = MapTable.withReconnect(() -> writeBatch(writes, rows, candidates, view, allOrNothing));
            for (int i : candidates) {
                result.set(i, held.getOrDefault(i, Outcome.STORED), null);
            }
            record(start, candidates.size() - held.size(), true);
        } catch (SQLException failure) {
            record(start, candidates.size(), false);
            if (FailureClassifier.classify(failure) == Kind.DATABASE_FAILED) {
                result.failed(failure);
                table.metrics().databaseError("database_failed");
            } else {
                table.metrics().databaseError("entry_rejected");
                if (allOrNothing) {
                    findRejected(writes, rows, candidates, failure, result);
                } else {
                    single.write(writes, rows, candidates, view, mayClaim(view), result);
                }
            }
        }
        return result;
    }

    /** After a refused all-or-nothing batch: which entries the database refuses, and why (nothing is written). */
    private void findRejected(List<Write> writes, Object[][] rows, List<Integer> candidates, SQLException batchFailure,
            Result result) {
        try {
            Map<Integer, SQLException> refused = MapTable.withReconnect(() -> RejectedRows.find(table, writes, rows, candidates));
            if (refused.isEmpty()) {
                // Refused only as a whole (a deferred constraint, say): every entry carries the batch's reason.
                candidates.forEach(i -> refused.put(i, batchFailure));
            }
            refused.forEach((i, error) -> result.set(i, Outcome.REJECTED, error));
        } catch (SQLException e) {
            result.failed(e);
            table.metrics().databaseError("database_failed");
        }
    }

    /** Writes each entry in its own fenced statement; used alone for single writes and after a rejected batch. */
    public Result writeEach(List<Write> writes, Ownership view) {
        Result result = new Result(writes.size());
        Object[][] rows = encode(writes, result);
        single.write(writes, rows, indices(result, Outcome.NOT_ATTEMPTED), view, mayClaim(view), result);
        return result;
    }

    private Object[][] encode(List<Write> writes, Result result) {
        Object[][] rows = new Object[writes.size()][];
        for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            try {
                rows[i] = new Object[] {table.jdbcKey(w.key()), w.delete() ? null : table.values().encode(w.value())};
            } catch (IllegalArgumentException | EntryRejectedException e) {
                result.set(i, Outcome.REJECTED, e instanceof EntryRejectedException ? e : new EntryRejectedException(e.getMessage(), e));
            }
        }
        return rows;
    }

    /**
     * The batch: returns the outcome of the indices not written (fenced or waiting), all others are
     * written. All or nothing: if any is held, none is written (the others not attempted).
     */
    private Map<Integer, Outcome> writeBatch(List<Write> writes, Object[][] rows, List<Integer> candidates, Ownership view,
            boolean allOrNothing) throws SQLException {
        Map<Integer, Outcome> held = new HashMap<>();
        try (Connection c = table.connection()) {
            c.setAutoCommit(true);
            Set<Integer> partitions = partitions(writes, candidates);
            Fence.Epochs epochs = fence.epochs(c, partitions, view, mayClaim(view));
            for (int i : candidates) {
                int partition = writes.get(i).partition();
                if (!epochs.granted().containsKey(partition)) {
                    held.put(i, epochs.waiting().contains(partition) ? Outcome.WAITING : Outcome.FENCED);
                }
            }
            if (allOrNothing && !held.isEmpty()) {
                candidates.forEach(i -> held.putIfAbsent(i, Outcome.NOT_ATTEMPTED));
                return held;
            }
            Map<Integer, Long> used = new HashMap<>(epochs.granted());
            used.keySet().retainAll(partitions);
            Set<Integer> fenced = batch.write(c, used, writes, rows, candidates, allOrNothing);
            for (int i : candidates) {
                int partition = writes.get(i).partition();
                if (fenced.contains(partition)) {
                    held.putIfAbsent(i, Outcome.FENCED);
                } else if (allOrNothing && !fenced.isEmpty()) {
                    held.put(i, Outcome.NOT_ATTEMPTED);
                }
            }
        }
        return held;
    }

    /**
     * Listing the minimum is not enough: a cut-off member lists the others until it removes them,
     * and a cut-off master that had removed one of two took over (and wrote) its partitions.
     */
    private boolean mayClaim(Ownership view) {
        return view.clusterSize() >= minimumClusterSize && view.hearsMinimum();
    }

    static Set<Integer> partitions(List<Write> writes, List<Integer> indices) {
        Set<Integer> partitions = new HashSet<>();
        indices.forEach(i -> partitions.add(writes.get(i).partition()));
        return partitions;
    }

    private static List<Integer> indices(Result result, Outcome outcome) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < result.outcomes.length; i++) {
            if (result.outcomes[i] == outcome) {
                indices.add(i);
            }
        }
        return indices;
    }

    private void record(long start, int entries, boolean success) {
        table.metrics().record(Operation.STORE, System.nanoTime() - start, entries, success);
    }
}
