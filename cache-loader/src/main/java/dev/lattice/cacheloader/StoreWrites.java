package dev.lattice.cacheloader;

import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.jdbc.CombinedWrites;
import dev.lattice.cacheloader.jdbc.FailureClassifier;
import dev.lattice.cacheloader.jdbc.MapTable;
import dev.lattice.cacheloader.jdbc.Ownership;
import dev.lattice.cacheloader.jdbc.PartitionMovedException;
import dev.lattice.cacheloader.jdbc.PoisonPolicy;
import dev.lattice.cacheloader.jdbc.StoreFailedException;
import dev.lattice.cacheloader.jdbc.TableWriter;
import dev.lattice.cacheloader.jdbc.TableWriter.Outcome;
import dev.lattice.cacheloader.jdbc.TableWriter.Result;
import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import dev.lattice.cacheloader.writebehind.WriteBehindState;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of one map's {@link JdbcMapStore}: each batch goes through the fenced writer, and every
 * entry is settled as stored, parked (dead-lettered, or saved to the shutdown spool) or unwritten.
 * Only unwritten entries stay in Hazelcast's argument, so a partial failure retries only them.
 * Write-through stores of concurrent callers share transactions ({@link CombinedWrites}).
 */
final class StoreWrites {

    private static final Logger log = LoggerFactory.getLogger(StoreWrites.class);
    /** Rows of one combined write-through transaction at most. */
    private static final int COMBINED_ROWS = 500;

    private final MapTable table;
    private final TableWriter writer;
    private final PoisonPolicy poison;
    private final SpoolRecovery spool;
    private final WriteBehindState state;
    private final int minimumClusterSize;
    private final boolean writeBehind;
    /** Write-through only: concurrent stores share transactions. */
    private final CombinedWrites combined;
    private volatile boolean flushFoundDatabaseDown;

    StoreWrites(MapTable table, TableWriter writer, PoisonPolicy poison, SpoolRecovery spool, WriteBehindState state,
            int minimumClusterSize) {
        this.table = table;
        this.writer = writer;
        this.poison = poison;
        this.spool = spool;
        this.state = state;
        this.minimumClusterSize = minimumClusterSize;
        this.writeBehind = state != null;
        this.combined = writeBehind ? null : new CombinedWrites(writer, connections(table), COMBINED_ROWS);
    }

    /** As many combined write-through transactions at once as the pool has connections (4 if unknown). */
    private static int connections(MapTable table) {
        return table.dataSource() instanceof HikariDataSource pool ? pool.getMaximumPoolSize() : 4;
    }

    /**
     * Keys that are neither in the table nor parked anywhere, and why. {@code moved}: every one of
     * them was refused because its partition is now another member's, so the call is to run again there.
     */
    record Unwritten(List<Object> keys, String message, boolean logged, boolean moved) {

        static final Unwritten NONE = new Unwritten(List.of(), null, false, false);

        void throwIfAny() {
            if (!keys.isEmpty()) {
                if (logged) {
                    log.warn(message);
                }
                if (moved) {
                    throw new PartitionMovedException(message);
                }
                throw new StoreFailedException(message, null);
            }
        }
    }

    /**
     * Writes and settles every entry. {@code shuttingDown}: Hazelcast's flush at shutdown, after
     * which this member makes no further attempt, so what it cannot store is saved to disk.
     */
    Unwritten write(List<Write> writes, String what, boolean shuttingDown, Ownership view) {
        if (!shuttingDown) {
            spool.awaitReplayed();
        } else if (writeBehind && (flushFoundDatabaseDown || state.databaseDown())) {
            // Hazelcast flushes partition by partition: once the database failed, do not wait for a
            // connection timeout per partition, or the member would overrun its grace period.
            return spoolAll(writes, what, view);
        }
        Result result = writeBehind ? writer.write(writes, view) : combined.write(writes, view);
        if (shuttingDown && result.databaseFailure() != null) {
            flushFoundDatabaseDown = true;
        }
        return settle(writes, result, what, shuttingDown, view);
    }

    /**
     * Write-through: every entry in one transaction of its own, or none of them (a {@code putAll}'s
     * entries of one partition, see {@code BatchStoring}), so that a refused entry leaves the table as
     * the grid still has it; it waits for a free writer like the combined writes.
     */
    Unwritten writeAllOrNothing(List<Write> writes, Ownership view) {
        spool.awaitReplayed();
        return settle(writes, combined.writeAllOrNothing(writes, view), "storing", false, view);
    }

    private Unwritten settle(List<Write> writes, Result result, String what, boolean shuttingDown, Ownership view) {
        List<Object> unwritten = new ArrayList<>();
        // Write-through: whether every unwritten entry was fenced off a partition this member no longer owns.
        boolean moved = !writeBehind;
        List<Write> toSpool = new ArrayList<>();
        Throwable firstError = null;
        Object firstRejected = null;
        for (int i = 0; i < writes.size(); i++) {
            Write write = writes.get(i);
            Outcome outcome = result.outcome(i);
            boolean settled = switch (outcome) {
                case STORED -> {
                    poison.written(write.key());
                    yield true;
                }
                case REJECTED -> writeBehind && park(write, result.error(i), shuttingDown);
                // At shutdown another owner holds these (it took the partition with its queue); otherwise wait.
                case FENCED -> writeBehind && shuttingDown;
                case WAITING, NOT_ATTEMPTED -> false;
            };
            if (!settled && writeBehind && shuttingDown) {
                // No later attempt on this member: keep it on disk (a rejected one is dead-lettered at replay).
                toSpool.add(write);
                settled = true;
            }
            if (!settled) {
                unwritten.add(write.key());
                moved &= outcome == Outcome.FENCED && !view.owns(write.partition());
                if (firstError == null && outcome == Outcome.REJECTED) {
                    firstError = result.error(i);
                    firstRejected = write.key();
                }
            }
        }
        if (!toSpool.isEmpty() && !spool.save(toSpool, view)) {
            toSpool.forEach(w -> unwritten.add(w.key()));
        }
        if (result.databaseFailure() != null && writeBehind && !shuttingDown) {
            state.databaseFailed(result.databaseFailure());
        }
        if (unwritten.isEmpty()) {
            return Unwritten.NONE;
        }
        if (moved && result.databaseFailure() == null) {
            return new Unwritten(unwritten, "map '" + table.mapName() + "': the partition of " + unwritten.size()
                    + " entr(ies) moved to another member while the call waited on the database; nothing written,"
                    + " the call runs again on the new owner", false, true);
        }
        return new Unwritten(unwritten, describe(result, firstError, firstRejected, unwritten.size(), what), writeBehind, false);
    }

    private Unwritten spoolAll(List<Write> writes, String what, Ownership view) {
        if (spool.save(writes, view)) {
            return Unwritten.NONE;
        }
        List<Object> keys = writes.stream().map(Write::key).toList();
        return new Unwritten(keys, "map '" + table.mapName() + "': " + what + " " + keys.size()
                + " entr(ies) at shutdown failed: the database is unreachable and they could not be saved to disk", true, false);
    }

    /** Write-behind: a rejected entry at shutdown has no later attempt, so it is parked now; otherwise it counts an attempt. */
    private boolean park(Write write, Throwable error, boolean shuttingDown) {
        try {
            if (shuttingDown) {
                return poison.deadLetterNow(write.key(), write.value(), error);
            }
            return poison.rejected(write.key(), write.value(), error);
        } catch (SQLException e) {
            log.warn("map '{}': the dead-letter table could not be written ({}); the entry stays queued", table.mapName(),
                    FailureClassifier.describeSafely(e));
            return false;
        }
    }

    private String describe(Result result, Throwable firstError, Object firstRejected, int count, String what) {
        String mapName = table.mapName();
        if (result.databaseFailure() != null) {
            return "map '" + mapName + "': " + what + " failed, database unavailable or misconfigured ("
                    + FailureClassifier.describeSafely(result.databaseFailure()) + "); " + count + " entr(ies) "
                    + (writeBehind ? "stay queued and will be retried" : "not written");
        }
        if (firstError != null) {
            return "map '" + mapName + "': rejected key " + MapTable.describeKey(firstRejected)
                    + (count > 1 ? " and " + (count - 1) + " other(s)" : "") + " (" + FailureClassifier.describeSafely(firstError)
                    + ")" + (writeBehind ? "; they stay queued" : "; not written");
        }
        if (result.count(Outcome.WAITING) > 0) {
            return "map '" + mapName + "': this member sees, or has heard lately from, fewer members than the "
                    + minimumClusterSize + " required to write (split-brain protection); " + count + " entr(ies) not written";
        }
        return "map '" + mapName + "': this member no longer owns the partition of " + count
                + " entr(ies) (another member took it over); not written";
    }
}
