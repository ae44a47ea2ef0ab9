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

/**
 * Read-through from a PostgreSQL table: {@code load}, {@code loadAll} in batches of
 * {@link dev.lattice.cacheloader.config.MapStoreSettings#loadBatchSize()}, and, for {@link InitialLoad#EAGER}, every key streamed
 * with a cursor so a large table is never held in memory at once. Used alone for
 * {@code READ_THROUGH} maps and inside {@link JdbcMapStore} for the writing modes.
 */
public final class JdbcMapLoader implements MapLoader<Object, Object>, MapLoaderLifecycleSupport {

    /** Rows per round trip while streaming keys for an eager load. */
    static final int KEY_FETCH_SIZE = 10_000;

    private final MapTable table;

    public JdbcMapLoader(MapTable table) {
        this.table = table;
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
            Map<Object, Object> loaded = MapTable.withReconnect(() -> {
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
     * {@link InitialLoad#LAZY}: no keys, so nothing is loaded until it is read. {@link InitialLoad#EAGER}:
     * every key, streamed; Hazelcast closes the returned {@link java.io.Closeable} when it is done.
     */
    @Override
    public Iterable<Object> loadAllKeys() {
        if (table.settings().initialLoad() == InitialLoad.LAZY) {
            return List.of();
        }
        return new KeyStream(table.dataSource(), table.sql().selectAllKeys, KEY_FETCH_SIZE, table::readKey, table.mapName());
    }

    private StoreFailedException loadFailed(long start, SQLException e, int keys) {
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
        // Nothing to open: the pool is owned by whoever created it (see LatticeMapStores).
    }

    /** Removes this map's meters; the pool stays open because other maps may share it. */
    @Override
    public void destroy() {
        table.metrics().close();
    }
}
