package dev.lattice.cacheloader.jdbc;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapLoader;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import dev.lattice.cacheloader.config.InitialLoad;
import dev.lattice.cacheloader.config.KeyType;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
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
import javax.sql.DataSource;

/**
 * Read-through from a PostgreSQL table: {@code load}, {@code loadAll} in batches of
 * {@link MapStoreSettings#loadBatchSize()}, and, for {@link InitialLoad#EAGER}, every key streamed
 * with a cursor so a large table is never held in memory at once. Used alone for
 * {@code READ_THROUGH} maps and inside {@link JdbcMapStore} for the writing modes.
 */
public final class JdbcMapLoader implements MapLoader<Object, Object>, MapLoaderLifecycleSupport {

    /** Rows per round trip while streaming keys for an eager load. */
    static final int KEY_FETCH_SIZE = 10_000;

    private final String mapName;
    private final MapStoreSettings settings;
    private final DataSource dataSource;
    private final MapStoreMetrics metrics;
    private final ValueCodec values;
    private final SqlStatements sql;

    public JdbcMapLoader(String mapName, MapStoreSettings settings, DataSource dataSource, MapStoreMetrics metrics) {
        this.mapName = mapName;
        this.settings = settings;
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.values = new ValueCodec(settings.valueType());
        this.sql = new SqlStatements(settings, values);
    }

    @Override
    public Object load(Object key) {
        Object jdbcKey = settings.keyType().toJdbc(key);
        long start = System.nanoTime();
        try {
            return withReconnect(() -> {
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.selectOne)) {
                    ps.setObject(1, jdbcKey);
                    try (ResultSet rs = ps.executeQuery()) {
                        Object value = rs.next() ? values.read(rs, 1) : null;
                        metrics.record(Operation.LOAD, System.nanoTime() - start, value == null ? 0 : 1, true);
                        return value;
                    }
                }
            });
        } catch (SQLException e) {
            throw loadFailed(start, e, 1);
        }
    }

    /** A database call that may be repeated: it only reads, or it is an idempotent upsert. */
    interface Call<T> {
        T run() throws SQLException;
    }

    /** Runs {@code call}, once more on a fresh connection if the pooled one turned out to be broken. */
    static <T> T withReconnect(Call<T> call) throws SQLException {
        try {
            return call.run();
        } catch (SQLException e) {
            if (!FailureClassifier.isBrokenConnection(e)) {
                throw e;
            }
            return call.run();
        }
    }

    @Override
    public Map<Object, Object> loadAll(Collection<Object> keys) {
        Map<Object, Object> result = new HashMap<>(keys.size() * 2);
        List<Object> batch = new ArrayList<>(Math.min(keys.size(), settings.loadBatchSize()));
        for (Object key : keys) {
            batch.add(settings.keyType().toJdbc(key));
            if (batch.size() == settings.loadBatchSize()) {
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
            Map<Object, Object> loaded = withReconnect(() -> {
                Map<Object, Object> rows = new HashMap<>(keys.size() * 2);
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.selectMany)) {
                    ps.setArray(1, c.createArrayOf(sql.keyArrayType, keys.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.put(readKey(rs, 1), values.read(rs, 2));
                        }
                    }
                }
                return rows;
            });
            into.putAll(loaded);
            metrics.record(Operation.LOAD, System.nanoTime() - start, loaded.size(), true);
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
        if (settings.initialLoad() == InitialLoad.LAZY) {
            return List.of();
        }
        return new KeyStream(dataSource, sql.selectAllKeys, KEY_FETCH_SIZE, this::readKey, mapName);
    }

    Object readKey(ResultSet rs, int column) throws SQLException {
        KeyType type = settings.keyType();
        switch (type) {
            case LONG:
                return rs.getLong(column);
            case UUID:
                return rs.getObject(column, java.util.UUID.class);
            default:
                return rs.getString(column);
        }
    }

    private StoreFailedException loadFailed(long start, SQLException e, int keys) {
        metrics.record(Operation.LOAD, System.nanoTime() - start, keys, false);
        metrics.databaseError("database_failed");
        return new StoreFailedException("map '" + mapName + "': loading " + keys + " key(s) from table "
                + settings.table() + " failed: " + FailureClassifier.describe(e), e);
    }

    String mapName() {
        return mapName;
    }

    MapStoreSettings settings() {
        return settings;
    }

    ValueCodec values() {
        return values;
    }

    SqlStatements sql() {
        return sql;
    }

    @Override
    public void init(HazelcastInstance hazelcastInstance, Properties properties, String name) {
        // Nothing to open: the pool is owned by whoever created it (see LatticeMapStores).
    }

    /** Removes this map's meters; the pool stays open because other maps may share it. */
    @Override
    public void destroy() {
        metrics.close();
    }
}
