package dev.lattice.cacheloader.jdbc;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapLoader;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import dev.lattice.cacheloader.config.InitialLoad;
import dev.lattice.cacheloader.metrics.MapStoreMetrics.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-through from a PostgreSQL table: {@code load}, {@code loadAll} in batches of
 * {@link dev.lattice.cacheloader.config.MapStoreSettings#loadBatchSize()}, and, for {@link InitialLoad#EAGER}, every key streamed
 * with a cursor so a large table is never held in memory at once. Used alone for
 * {@code READ_THROUGH} maps and inside {@link JdbcMapStore} for the writing modes.
 */
public final class JdbcMapLoader implements MapLoader<Object, Object>, MapLoaderLifecycleSupport {

    /** Rows per round trip while streaming keys for an eager load. */
    static final int KEY_FETCH_SIZE = 10_000;

    private static final Logger log = LoggerFactory.getLogger(JdbcMapLoader.class);
    private static final long QUORUM_POLL_NANOS = 200_000_000L;

    private final MapTable table;
    private final Function<HazelcastInstance, Ownership> ownershipOf;
    private final int minimumClusterSize;
    private final Function<HazelcastInstance, LoadTarget> loadTargetOf;
    private final AtomicLong loadFailures = new AtomicLong();
    private volatile Ownership ownership;
    private volatile HazelcastInstance member;

    /**
     * @param ownershipOf        what a member believes about partition ownership
     * @param loadTargetOf       where an eager load's scan puts its rows on a member, or null there if the member
     *                           can not take them directly (the keys then stream through Hazelcast's load)
     * @param minimumClusterSize members split-brain protection requires before the map accepts writes; 1 = none
     */
    public JdbcMapLoader(MapTable table, Function<HazelcastInstance, Ownership> ownershipOf,
                         Function<HazelcastInstance, LoadTarget> loadTargetOf, int minimumClusterSize) {
        this.table = table;
        this.ownershipOf = ownershipOf;
        this.minimumClusterSize = minimumClusterSize;
        this.loadTargetOf = loadTargetOf;
    }

    @Override
    public Object load(Object key) {
        Object jdbcKey = table.jdbcKey(key);
        long start = System.nanoTime();
        try {
            return MapTable.withReconnect(() -> {
                try (Connection c = table.connection(); PreparedStatement ps = c.prepareStatement(table.sql().selectOne)) {
                    ps.setObject(1, jdbcKey);
                    try (ResultSet rs = ps.executeQuery()) {
                        Object value = rs.next() ? table.values().read(rs, 1) : null;
                        table.metrics().record(Operation.LOAD, System.nanoTime() - start, value == null ? 0 : 1, true);
                        return value;
                    }
                }
            });
        } catch (SQLException e) {
            throw loadFailed(start, e, 1);
        }
    }

    @Override
    public Map<Object, Object> loadAll(Collection<Object> keys) {
        Map<Object, Object> result = new HashMap<>(keys.size() * 2);
        int batchSize = table.settings().loadBatchSize();
        List<Object> batch = new ArrayList<>(Math.min(keys.size(), batchSize));
        for (Object key : keys) {
            batch.add(table.jdbcKey(key));
            if (batch.size() == batchSize) {
                loadBatch(batch, result);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            loadBatch(batch, result);
        }
        return result;
    }

    private void loadBatch(List<Object> keys, Map<Object, Object> into) {
        long start = System.nanoTime();
        try {
            Map<Object, Object> loaded = patiently(() -> {
                Map<Object, Object> rows = new HashMap<>(keys.size() * 2);
                try (Connection c = table.connection(); PreparedStatement ps = c.prepareStatement(table.sql().selectMany)) {
                    ps.setArray(1, c.createArrayOf(table.sql().keyArrayType, keys.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.put(table.readKey(rs, 1), table.values().read(rs, 2));
                        }
                    }
                }
                return rows;
            });
            into.putAll(loaded);
            table.metrics().record(Operation.LOAD, System.nanoTime() - start, loaded.size(), true);
        } catch (SQLException e) {
            throw loadFailed(start, e, keys.size());
        }
    }

    /**
     * A read that may wait a little: an eager load asks for many batches at once, and a pool that
     * is momentarily exhausted (or a connection that broke) should not fail the whole load, which
     * Hazelcast does not retry. Pauses 100 ms, then 300 ms, before giving up.
     */
    private static <T> T patiently(MapTable.Call<T> call) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                return MapTable.withReconnect(call);
            } catch (SQLException e) {
                if (attempt == 2 || FailureClassifier.classify(e) == FailureClassifier.Kind.ENTRY_REJECTED) {
                    throw e;
                }
                try {
                    Thread.sleep(attempt == 0 ? 100 : 300);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * {@link InitialLoad#LAZY}: no keys, so nothing is loaded until it is read. {@link InitialLoad#EAGER}:
     * the initial load puts the rows into their partitions itself ({@link EagerScan}) and returns only
     * the keys it leaves to Hazelcast; a reload streams every key, and Hazelcast closes the returned
     * {@link java.io.Closeable} when it is done.
     */
    @Override
    public Iterable<Object> loadAllKeys() {
        awaitMinimumClusterSize();
        if (table.settings().initialLoad() == InitialLoad.LAZY) {
            return List.of();
        }
        HazelcastInstance self = member;
        LoadTarget target = self == null ? null : loadTargetOf.apply(self);
        if (target != null) {
            List<Object> rest = scan(target);
            if (rest != null) {
                return rest;
            }
        }
        return new KeyStream(table.dataSource(), table.sql().selectAllKeys, KEY_FETCH_SIZE, table::readKey, table.mapName(),
                this::keyStreamFailed);
    }

    private List<Object> scan(LoadTarget target) {
        long start = System.nanoTime();
        try {
            return EagerScan.load(table, target);
        } catch (SQLException e) {
            // Hazelcast logs the failure and reports the map loaded with what it got; the node's
            // load loop sees the count grow and reloads, streaming keys under Hazelcast's guard.
            throw loadFailed(start, e, 0);
        } catch (RuntimeException e) {
            keyStreamFailed();
            throw e;
        }
    }

    /**
     * Hazelcast ends every key load (a lazy map's empty one too) by telling each partition it is
     * done, with an operation split-brain protection counts as a write. Below the minimum it is
     * refused, and the partitions that missed it stay without their keys for good: a first node
     * alone loaded 441 of 500 rows and reported the map loaded. So the load waits, on Hazelcast's
     * key-loading thread, until this member sees enough members; the map's operations wait with it.
     */
    private void awaitMinimumClusterSize() {
        Ownership view = ownership;
        HazelcastInstance self = member;
        if (view == null || self == null || view.clusterSize() >= minimumClusterSize) {
            return;
        }
        log.info("Map {} waits for {} members before loading keys from table {} (split-brain protection); it sees {}",
                table.mapName(), minimumClusterSize, table.settings().table(), view.clusterSize());
        while (view.clusterSize() < minimumClusterSize) {
            if (Thread.currentThread().isInterrupted() || !self.getLifecycleService().isRunning()) {
                throw new IllegalStateException("map '" + table.mapName() + "': member stopped while waiting for "
                        + minimumClusterSize + " members to load keys");
            }
            LockSupport.parkNanos(QUORUM_POLL_NANOS);
        }
        log.info("Map {} sees {} members: loading keys", table.mapName(), view.clusterSize());
    }

    /**
     * Loads that failed on this member since it started, key streaming included. Hazelcast logs a
     * failed eager load and carries on with what it got; a node compares this count before and
     * after loading to know whether the load really completed.
     */
    public long loadFailures() {
        return loadFailures.get();
    }

    void keyStreamFailed() {
        loadFailures.incrementAndGet();
    }

    private StoreFailedException loadFailed(long start, SQLException e, int keys) {
        loadFailures.incrementAndGet();
        table.metrics().record(Operation.LOAD, System.nanoTime() - start, keys, false);
        table.metrics().databaseError("database_failed");
        return new StoreFailedException("map '" + table.mapName() + "': loading " + keys + " key(s) from table "
                + table.settings().table() + " failed: " + FailureClassifier.describeSafely(e), e);
    }

    MapTable table() {
        return table;
    }

    @Override
    public void init(HazelcastInstance hazelcastInstance, Properties properties, String name) {
        // The pool is owned by whoever created it (see LatticeMapStores); only the member's view is needed.
        ownership = ownershipOf.apply(hazelcastInstance);
        member = hazelcastInstance;
    }

    /** Removes this map's meters; the pool stays open because other maps may share it. */
    @Override
    public void destroy() {
        table.metrics().close();
    }
}
