package dev.lattice.cacheloader;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.jdbc.DeadLetters;
import dev.lattice.cacheloader.jdbc.FailureClassifier;
import dev.lattice.cacheloader.jdbc.Fence;
import dev.lattice.cacheloader.jdbc.JdbcMapLoader;
import dev.lattice.cacheloader.jdbc.MapTable;
import dev.lattice.cacheloader.jdbc.Ownership;
import dev.lattice.cacheloader.jdbc.PoisonPolicy;
import dev.lattice.cacheloader.jdbc.StoreFailedException;
import dev.lattice.cacheloader.jdbc.TableWriter;
import dev.lattice.cacheloader.jdbc.TableWriter.Outcome;
import dev.lattice.cacheloader.jdbc.TableWriter.Result;
import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import dev.lattice.cacheloader.writebehind.WriteBehind;
import dev.lattice.cacheloader.writebehind.WriteBehindSettings;
import dev.lattice.cacheloader.writebehind.WriteBehindState;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hazelcast {@link MapStore} of a map backed by a PostgreSQL table, in write-through or
 * write-behind mode.
 *
 * <p><b>Write-through:</b> Hazelcast calls {@code store}/{@code storeAll}/{@code delete} before the
 * caller's operation returns; each write is fenced ({@link Fence}) and the caller's operation fails
 * if the database refuses it, is down, or if this member no longer owns the partition.
 *
 * <p><b>Write-behind:</b> Lattice's own {@link WriteBehind} drains the queues on every member.
 * Hazelcast calls {@code storeAll}/{@code deleteAll} only when it flushes the queue during a
 * graceful shutdown; then a write the database cannot take is saved to the shutdown spool (when
 * one is configured) instead of being dropped, and a rejected one goes to the dead-letter table.
 *
 * <p>Both follow Hazelcast's partial-failure contract: every entry that reached the table (or the
 * dead-letter table, or the spool) is removed from the argument before throwing.
 */
public final class JdbcMapStore implements MapStore<Object, Object>, MapLoaderLifecycleSupport {

    private static final Logger log = LoggerFactory.getLogger(JdbcMapStore.class);

    private final MapTable table;
    private final StoreEnvironment environment;
    private final JdbcMapLoader loader;
    private final TableWriter writer;
    private final DeadLetters deadLetters;
    private final PoisonPolicy poison;
    private final WriteBehindState state;
    private final SpoolRecovery spool;
    private volatile Ownership ownership;
    private volatile WriteBehind writeBehind;
    private volatile boolean shuttingDown;
    private volatile boolean flushFoundDatabaseDown;

    JdbcMapStore(MapTable table, StoreEnvironment environment) {
        MapStoreSettings settings = table.settings();
        if (settings.mode() == StoreMode.READ_THROUGH) {
            throw new IllegalArgumentException("mode READ_THROUGH can not be combined with a writing store: use JdbcMapLoader");
        }
        this.table = table;
        this.environment = environment;
        this.loader = new JdbcMapLoader(table, instance -> WriteBehind.ownership(instance, table.mapName()),
                environment.minimumClusterSize());
        Fence fence = new Fence(table.mapName(), table.metrics());
        this.writer = new TableWriter(table, fence, environment.minimumClusterSize());
        this.deadLetters = new DeadLetters(table);
        this.poison = new PoisonPolicy(table.mapName(), settings.maxAttempts(), deadLetters, table.metrics());
        this.state = writeBehind() ? new WriteBehindState(table.mapName(), settings.maxRetryBackoff(), table.metrics()) : null;
        this.spool = new SpoolRecovery(table, environment.spoolDirectory(), fence);
    }

    /** Writes saved at the last shutdown go to the table first; if the database is down, the store retries before its first write or read. */
    void replaySpool() {
        spool.tryReplay();
    }

    private boolean writeBehind() {
        return table.settings().mode() == StoreMode.WRITE_BEHIND;
    }

    @Override
    public void init(HazelcastInstance instance, Properties properties, String mapName) {
        loader.init(instance, properties, mapName);
        ownership = WriteBehind.ownership(instance, mapName);
        if (!writeBehind()) {
            return;
        }
        MapStoreSettings settings = table.settings();
        WriteBehindSettings drain = new WriteBehindSettings(settings.writeDelay(), settings.writeBatchSize(),
                settings.writeCoalescing(), environment.writeParallelism(), environment.minimumClusterSize(),
                WriteBehindSettings.tickFor(settings.writeDelay()), environment.sweepInterval());
        startDraining(instance, mapName, drain);
    }

    /**
     * Starts this member's drainer, after stopping the one a previous {@link #init} started.
     * Hazelcast initialises the store again when the member merges back into the cluster after a
     * split, without destroying it first: two drainers then drained the same queues, wrote one key in
     * two transactions at once, and the older value could commit last. Closing the old one waits for
     * its round in flight, so the two never overlap.
     */
    private synchronized void startDraining(HazelcastInstance instance, String mapName, WriteBehindSettings drain) {
        WriteBehind previous = writeBehind;
        if (previous != null) {
            log.info("map '{}': store initialised again (the member rejoined the cluster); restarting its write-behind drainer",
                    mapName);
            previous.close();
        }
        writeBehind = WriteBehind.start(instance, mapName, drain, writer, poison, state, spool::ready);
        if (previous == null) {
            instance.getLifecycleService().addLifecycleListener(event -> {
                if (event.getState() == LifecycleState.SHUTTING_DOWN) {
                    // Hazelcast migrates this member's queues to the others, then flushes what is left
                    // through storeAll: stop draining so the flush sees one consistent queue.
                    shuttingDown = true;
                    writeBehind.close();
                }
            });
        }
    }

    @Override
    public void destroy() {
        if (writeBehind != null) {
            writeBehind.close();
        }
        loader.destroy();
    }

    @Override
    public void store(Object key, Object value) {
        Map<Object, Object> one = new HashMap<>(2);
        one.put(key, value);
        storeAll(one);
    }

    @Override
    public void storeAll(Map<Object, Object> entries) {
        if (outsideTheDrainer()) {
            writeLatestOnly(entries, "storing");
            return;
        }
        List<Write> writes = new ArrayList<>(entries.size());
        entries.forEach((key, value) -> writes.add(new Write(key, value, view().partitionOf(key), key)));
        Unwritten unwritten = write(writes, "storing");
        entries.keySet().retainAll(unwritten.keys());
        unwritten.throwIfAny();
    }

    @Override
    public void delete(Object key) {
        List<Object> one = new ArrayList<>(1);
        one.add(key);
        deleteAll(one);
    }

    @Override
    public void deleteAll(Collection<Object> keys) {
        if (outsideTheDrainer()) {
            Map<Object, Object> deletes = new HashMap<>();
            keys.forEach(key -> deletes.put(key, null));
            try {
                writeLatestOnly(deletes, "deleting");
            } finally {
                keys.retainAll(deletes.keySet());
            }
            return;
        }
        List<Write> writes = new ArrayList<>(keys.size());
        keys.forEach(key -> writes.add(new Write(key, null, view().partitionOf(key), key)));
        Unwritten unwritten = write(writes, "deleting");
        keys.retainAll(unwritten.keys());
        unwritten.throwIfAny();
    }

    /**
     * A write-behind map's store called while the member runs: Lattice's drainer does not call it, so
     * this is Hazelcast's own worker (or its flush of an entry it evicts). Lattice gives it a year's delay and stops it every tick, but it
     * still runs one pass after being stopped and stores what a flush marked, beside the drainer: a
     * restarted node did so, its batch deadlocked against the drainer, and Hazelcast's retry of it a
     * second later put older values over newer ones (docs/reliability.md, fifth session).
     */
    private boolean outsideTheDrainer() {
        return writeBehind() && !shuttingDown && writeBehind != null;
    }

    /**
     * Writes, between two of the drainer's rounds, only the entries still queued as the latest write
     * of their key; the others count as done (a newer write replaced them, or they are stored). What
     * did not land stays in {@code values} and fails the call, as Hazelcast's contract asks.
     */
    private void writeLatestOnly(Map<Object, Object> values, String what) {
        RuntimeException[] failure = {null};
        int asked = values.size();
        boolean ran = writeBehind.writeLatestOnly(values, latest -> {
            if (log.isDebugEnabled()) {
                log.debug("map '{}': {} {} entr(ies) from outside the drainer (thread {}); {} still the latest queued write; "
                        + "not latest: {}", table.mapName(), what, asked, Thread.currentThread().getName(), latest.size(),
                        writeBehind.explain(values, values.keySet().stream().filter(k -> !latest.contains(k)).limit(50)
                                .collect(Collectors.toSet())));
            }
            List<Write> writes = new ArrayList<>(latest.size());
            latest.forEach(key -> writes.add(new Write(key, values.get(key), view().partitionOf(key), key)));
            Unwritten unwritten = write(writes, what);
            values.keySet().retainAll(unwritten.keys());
            try {
                unwritten.throwIfAny();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        if (!ran) {
            throw new StoreFailedException("map '" + table.mapName() + "': " + what + " outside the write-behind drainer"
                    + " waited over 5 s for the drainer's round; the entries stay queued", null);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** Keys that are neither in the table nor parked anywhere, and why. */
    private record Unwritten(List<Object> keys, String message, boolean logged) {
        void throwIfAny() {
            if (!keys.isEmpty()) {
                if (logged) {
                    log.warn(message);
                }
                throw new StoreFailedException(message, null);
            }
        }
    }

    /** Writes and settles every entry. */
    private Unwritten write(List<Write> writes, String what) {
        if (writes.isEmpty()) {
            return new Unwritten(List.of(), null, false);
        }
        if (!shuttingDown) {
            spool.awaitReplayed();
        } else if (writeBehind() && (flushFoundDatabaseDown || state.databaseDown())) {
            // Hazelcast flushes partition by partition: once the database failed, do not wait for a
            // connection timeout per partition, or the member would overrun its grace period.
            return spoolAll(writes, what);
        }
        Result result = writes.size() == 1 && !writeBehind() ? writer.writeEach(writes, view()) : writer.write(writes, view());
        if (shuttingDown && result.databaseFailure() != null) {
            flushFoundDatabaseDown = true;
        }
        List<Object> unwritten = new ArrayList<>();
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
                case REJECTED -> writeBehind() && park(write, result.error(i));
                // At shutdown another owner holds these (it took the partition with its queue); otherwise wait.
                case FENCED -> writeBehind() && shuttingDown;
                case WAITING, NOT_ATTEMPTED -> false;
            };
            if (!settled && writeBehind() && shuttingDown) {
                // No later attempt on this member: keep it on disk (a rejected one is dead-lettered at replay).
                toSpool.add(write);
                settled = true;
            }
            if (!settled) {
                unwritten.add(write.key());
                if (firstError == null && outcome == Outcome.REJECTED) {
                    firstError = result.error(i);
                    firstRejected = write.key();
                }
            }
        }
        if (!toSpool.isEmpty() && !spool.save(toSpool, ownership)) {
            toSpool.forEach(w -> unwritten.add(w.key()));
        }
        if (result.databaseFailure() != null && state != null && !shuttingDown) {
            state.databaseFailed(result.databaseFailure());
        }
        String message = unwritten.isEmpty() ? null : describe(result, firstError, firstRejected, unwritten.size(), what);
        return new Unwritten(unwritten, message, writeBehind());
    }

    private Unwritten spoolAll(List<Write> writes, String what) {
        if (spool.save(writes, ownership)) {
            return new Unwritten(List.of(), null, false);
        }
        List<Object> keys = writes.stream().map(Write::key).toList();
        return new Unwritten(keys, "map '" + table.mapName() + "': " + what + " " + keys.size()
                + " entr(ies) at shutdown failed: the database is unreachable and they could not be saved to disk", true);
    }

    /** Write-behind flush: a rejected entry at shutdown has no later attempt, so it is parked now; otherwise it counts an attempt. */
    private boolean park(Write write, Throwable error) {
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
                    + (writeBehind() ? "stay queued and will be retried" : "not written");
        }
        if (firstError != null) {
            return "map '" + mapName + "': rejected key " + MapTable.describeKey(firstRejected)
                    + (count > 1 ? " and " + (count - 1) + " other(s)" : "") + " (" + FailureClassifier.describeSafely(firstError)
                    + ")" + (writeBehind() ? "; they stay queued" : "; not written");
        }
        if (result.count(Outcome.WAITING) > 0) {
            return "map '" + mapName + "': this member sees fewer members than the " + environment.minimumClusterSize()
                    + " required to write (split-brain protection); " + count + " entr(ies) not written";
        }
        return "map '" + mapName + "': this member no longer owns the partition of " + count
                + " entr(ies) (another member took it over); not written";
    }

    private Ownership view() {
        Ownership current = ownership;
        if (current == null) {
            throw new IllegalStateException("map '" + table.mapName() + "': the store is used before Hazelcast initialised it");
        }
        return current;
    }

    @Override
    public Object load(Object key) {
        spool.awaitReplayed();
        return loader.load(key);
    }

    @Override
    public Map<Object, Object> loadAll(Collection<Object> keys) {
        spool.awaitReplayed();
        return loader.loadAll(keys);
    }

    @Override
    public Iterable<Object> loadAllKeys() {
        spool.awaitReplayed();
        return loader.loadAllKeys();
    }

    /** Loads that failed on this member ({@link JdbcMapLoader#loadFailures()}). */
    public long loadFailures() {
        return loader.loadFailures();
    }

    /** Operator access to this map's dead letters. */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /** Write-behind health on this member; null for write-through. */
    public WriteBehindState writeBehindState() {
        return state;
    }
}
