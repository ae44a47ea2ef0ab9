package dev.lattice.cacheloader;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.StoreWrites.Unwritten;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.jdbc.DeadLetters;
import dev.lattice.cacheloader.jdbc.Fence;
import dev.lattice.cacheloader.jdbc.JdbcMapLoader;
import dev.lattice.cacheloader.jdbc.MapTable;
import dev.lattice.cacheloader.jdbc.Ownership;
import dev.lattice.cacheloader.jdbc.PoisonPolicy;
import dev.lattice.cacheloader.jdbc.StoreFailedException;
import dev.lattice.cacheloader.jdbc.TableWriter;
import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import dev.lattice.cacheloader.writebehind.BatchStoring;
import dev.lattice.cacheloader.writebehind.PartitionClearing;
import dev.lattice.cacheloader.writebehind.PartitionLoad;
import dev.lattice.cacheloader.writebehind.WriteBehind;
import dev.lattice.cacheloader.writebehind.WriteBehindSettings;
import dev.lattice.cacheloader.writebehind.WriteBehindState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hazelcast {@link MapStore} of a map backed by a PostgreSQL table, in write-through or
 * write-behind mode.
 *
 * <p><b>Write-through:</b> Hazelcast calls {@code store}/{@code storeAll}/{@code delete} before the
 * caller's operation returns (a {@code putAll} stores each partition's entries in one {@code storeAll},
 * see {@link BatchStoring}); each write is fenced ({@link Fence}) and the caller's operation fails
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
public final class JdbcMapStore implements MapStore<Object, Object>, MapLoaderLifecycleSupport, PartitionClearing, BatchStoring {

    private static final Logger log = LoggerFactory.getLogger(JdbcMapStore.class);
    /** Set while this thread clears a partition: Hazelcast's {@code deleteAll} inside the clear finds its keys deleted. */
    private static final ThreadLocal<Boolean> CLEARING = new ThreadLocal<>();

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
    private final StoreWrites storeWrites;
    private final HazelcastWorkerWrites workerWrites;
    private volatile boolean shuttingDown;

    JdbcMapStore(MapTable table, StoreEnvironment environment) {
        MapStoreSettings settings = table.settings();
        if (settings.mode() == StoreMode.READ_THROUGH) {
            throw new IllegalArgumentException("mode READ_THROUGH can not be combined with a writing store: use JdbcMapLoader");
        }
        this.table = table;
        this.environment = environment;
        this.loader = new JdbcMapLoader(table, instance -> WriteBehind.ownership(instance, table.mapName()),
                instance -> PartitionLoad.of(instance, table.mapName()),
                environment.minimumClusterSize());
        Fence fence = new Fence(table.mapName(), table.metrics());
        this.writer = new TableWriter(table, fence, environment.minimumClusterSize());
        this.deadLetters = new DeadLetters(table);
        this.poison = new PoisonPolicy(table.mapName(), settings.maxAttempts(), deadLetters, table.metrics());
        this.state = writeBehind() ? new WriteBehindState(table.mapName(), settings.maxRetryBackoff(), table.metrics()) : null;
        this.spool = new SpoolRecovery(table, environment.spoolDirectory(), fence);
        this.storeWrites = new StoreWrites(table, writer, poison, spool, state, environment.minimumClusterSize());
        this.workerWrites = new HazelcastWorkerWrites(table.mapName(), loader, key -> view().partitionOf(key),
                this::write);
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
            workerWrites.writeLatestOnly(writeBehind, entries, "storing");
            return;
        }
        Unwritten unwritten = write(writesOf(entries), "storing");
        entries.keySet().retainAll(unwritten.keys());
        unwritten.throwIfAny();
    }

    /** A write-through {@code putAll}'s entries of one partition ({@link BatchStoring}). */
    @Override
    public void storeAllOrNothing(Map<Object, Object> entries) {
        if (writeBehind()) {
            storeAll(entries);
            return;
        }
        if (entries.isEmpty()) {
            return;
        }
        storeWrites.writeAllOrNothing(writesOf(entries), view()).throwIfAny();
    }

    @Override
    public void delete(Object key) {
        List<Object> one = new ArrayList<>(1);
        one.add(key);
        deleteAll(one);
    }

    @Override
    public void deleteAll(Collection<Object> keys) {
        if (CLEARING.get() != null) {
            return;
        }
        if (outsideTheDrainer()) {
            Map<Object, Object> deletes = new HashMap<>();
            keys.forEach(key -> deletes.put(key, null));
            try {
                workerWrites.writeLatestOnly(writeBehind, deletes, "deleting");
            } finally {
                keys.retainAll(deletes.keySet());
            }
            return;
        }
        Unwritten unwritten = write(deletesOf(keys), "deleting");
        keys.retainAll(unwritten.keys());
        unwritten.throwIfAny();
    }

    /** Deletes the keys of a cleared partition between two drainer rounds, then lets Hazelcast clear it (see {@code StoredClearOperation}). */
    @Override
    public void clearPartition(Collection<Object> keys, Runnable clearInMemory) {
        Runnable clear = () -> {
            write(deletesOf(keys), "clearing").throwIfAny();
            CLEARING.set(Boolean.TRUE);
            try {
                clearInMemory.run();
            } finally {
                CLEARING.remove();
            }
        };
        WriteBehind current = writeBehind;
        if (current == null || shuttingDown) {
            clear.run();
        } else if (!current.betweenRounds(clear)) {
            throw new StoreFailedException("map '" + table.mapName() + "': clear waited over 5 s for the write-behind"
                    + " drainer's round; nothing of this partition was cleared", null);
        }
    }

    /** A write-behind map's store called while the member runs: see {@link HazelcastWorkerWrites}. */
    private boolean outsideTheDrainer() {
        return writeBehind() && !shuttingDown && writeBehind != null;
    }

    private List<Write> writesOf(Map<Object, Object> entries) {
        List<Write> writes = new ArrayList<>(entries.size());
        entries.forEach((key, value) -> writes.add(new Write(key, value, view().partitionOf(key), key)));
        return writes;
    }

    private List<Write> deletesOf(Collection<Object> keys) {
        List<Write> writes = new ArrayList<>(keys.size());
        keys.forEach(key -> writes.add(new Write(key, null, view().partitionOf(key), key)));
        return writes;
    }

    /** Writes and settles every entry through {@link StoreWrites}. */
    private Unwritten write(List<Write> writes, String what) {
        return writes.isEmpty() ? Unwritten.NONE : storeWrites.write(writes, what, shuttingDown, view());
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
