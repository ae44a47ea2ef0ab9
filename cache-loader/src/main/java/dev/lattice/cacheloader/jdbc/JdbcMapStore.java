package dev.lattice.cacheloader.jdbc;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.jdbc.FailureClassifier.Kind;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import dev.lattice.cacheloader.metrics.MapStoreMetrics.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-through and write-behind to a PostgreSQL table with batched, idempotent upserts.
 *
 * <p>Failures are split by {@link FailureClassifier}. When the <em>database</em> fails, this throws
 * and leaves every unwritten entry in the argument, so Hazelcast keeps it queued and retries (with
 * {@link RetryBackoff} so retries do not pile up on a dead database): nothing is dropped. When the
 * database rejects an <em>entry</em>, only that entry is held back; in write-behind mode, after
 * {@link MapStoreSettings#maxAttempts()} attempts it moves to the dead-letter table and the call
 * returns normally, because Hazelcast would otherwise retry it forever at the head of its
 * partition's queue. In write-through mode the caller's operation fails instead.
 *
 * <p>{@code storeAll} and {@code deleteAll} follow Hazelcast's partial-failure contract: every entry
 * that reached the database (or the dead-letter table) is removed from the argument before throwing.
 */
public final class JdbcMapStore implements MapStore<Object, Object>, MapLoaderLifecycleSupport {

    private static final Logger log = LoggerFactory.getLogger(JdbcMapStore.class);

    private final JdbcMapLoader loader;
    private final MapStoreSettings settings;
    private final DataSource dataSource;
    private final MapStoreMetrics metrics;
    private final DeadLetters deadLetters;
    private final PoisonPolicy poison;
    private final RetryBackoff backoff;
    private final boolean writeBehind;

    public JdbcMapStore(String mapName, MapStoreSettings settings, DataSource dataSource, MapStoreMetrics metrics) {
        if (settings.mode() == StoreMode.READ_THROUGH) {
            throw new IllegalArgumentException("mode READ_THROUGH can not be combined with a writing store: use JdbcMapLoader");
        }
        this.loader = new JdbcMapLoader(mapName, settings, dataSource, metrics);
        this.settings = settings;
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.deadLetters = new DeadLetters(mapName, settings, dataSource);
        this.poison = new PoisonPolicy(mapName, settings.maxAttempts(), deadLetters, metrics);
        this.backoff = new RetryBackoff(settings.maxRetryBackoff());
        this.writeBehind = settings.mode() == StoreMode.WRITE_BEHIND;
    }

    @Override
    public void store(Object key, Object value) {
        Map<Object, Object> one = new HashMap<>(2);
        one.put(key, value);
        storeAll(one);
    }

    @Override
    public void storeAll(Map<Object, Object> entries) {
        if (entries.isEmpty()) {
            return;
        }
        checkBackoff(entries.size());
        Map<Object, Object> encoded = new LinkedHashMap<>();
        Map<Object, Throwable> rejected = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : entries.entrySet()) {
            try {
                encoded.put(e.getKey(), new Object[] {settings.keyType().toJdbc(e.getKey()), loader.values().encode(e.getValue())});
            } catch (IllegalArgumentException | EntryRejectedException ex) {
                rejected.put(e.getKey(), ex instanceof EntryRejectedException ? ex : new EntryRejectedException(ex.getMessage(), ex));
            }
        }
        long start = System.nanoTime();
        try {
            upsert(encoded.values(), false);
            metrics.record(Operation.STORE, System.nanoTime() - start, encoded.size(), true);
            written(entries, encoded.keySet());
        } catch (SQLException batchFailure) {
            metrics.record(Operation.STORE, System.nanoTime() - start, encoded.size(), false);
            if (FailureClassifier.classify(batchFailure) == Kind.DATABASE_FAILED) {
                throw databaseFailed("storing", entries.size(), batchFailure);
            }
            metrics.databaseError("entry_rejected");
            // Some entry in the batch was refused: write one at a time to find it and keep the rest moving.
            storeOneByOne(entries, encoded, rejected);
        }
        settleRejected(entries, rejected);
    }

    private void storeOneByOne(Map<Object, Object> entries, Map<Object, Object> encoded, Map<Object, Throwable> rejected) {
        for (Map.Entry<Object, Object> e : encoded.entrySet()) {
            long start = System.nanoTime();
            try {
                upsert(List.of(e.getValue()), true);
                metrics.record(Operation.STORE, System.nanoTime() - start, 1, true);
                written(entries, List.of(e.getKey()));
            } catch (SQLException failure) {
                metrics.record(Operation.STORE, System.nanoTime() - start, 1, false);
                if (FailureClassifier.classify(failure) == Kind.DATABASE_FAILED) {
                    throw databaseFailed("storing", entries.size(), failure);
                }
                rejected.put(e.getKey(), failure);
            }
        }
    }

    private void upsert(Collection<Object> rows, boolean single) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        // Safe to repeat: the upsert is idempotent and the batch is one transaction.
        JdbcMapLoader.withReconnect(() -> {
            upsertOnce(rows, single);
            return null;
        });
        backoff.succeeded();
    }

    private void upsertOnce(Collection<Object> rows, boolean single) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(single);
            try (PreparedStatement ps = c.prepareStatement(loader.sql().upsert)) {
                for (Object row : rows) {
                    Object[] kv = (Object[]) row;
                    ps.setObject(1, kv[0]);
                    ps.setObject(2, kv[1]);
                    ps.addBatch();
                }
                ps.executeBatch();
                if (!single) {
                    c.commit();
                }
            } catch (SQLException e) {
                rollbackQuietly(c, single);
                throw e;
            }
        }
    }

    @Override
    public void delete(Object key) {
        List<Object> one = new ArrayList<>(1);
        one.add(key);
        deleteAll(one);
    }

    @Override
    public void deleteAll(Collection<Object> keys) {
        if (keys.isEmpty()) {
            return;
        }
        checkBackoff(keys.size());
        List<Object> jdbcKeys = new ArrayList<>(keys.size());
        for (Iterator<Object> it = keys.iterator(); it.hasNext(); ) {
            Object key = it.next();
            try {
                jdbcKeys.add(settings.keyType().toJdbc(key));
            } catch (IllegalArgumentException e) {
                // A key of the wrong type was never stored (its store was rejected), so there is no row to delete.
                log.warn("map '{}': skipping delete of key {}: {}", loader.mapName(), key, e.getMessage());
                it.remove();
            }
        }
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(loader.sql().deleteMany)) {
            ps.setArray(1, c.createArrayOf(loader.sql().keyArrayType, jdbcKeys.toArray()));
            ps.executeUpdate();
            backoff.succeeded();
            metrics.record(Operation.DELETE, System.nanoTime() - start, jdbcKeys.size(), true);
            keys.forEach(poison::written);
            keys.clear();
        } catch (SQLException e) {
            metrics.record(Operation.DELETE, System.nanoTime() - start, jdbcKeys.size(), false);
            if (FailureClassifier.classify(e) == Kind.DATABASE_FAILED) {
                throw databaseFailed("deleting", keys.size(), e);
            }
            metrics.databaseError("entry_rejected");
            // e.g. a foreign key still points at a row: treat each key like a rejected entry with no value.
            Map<Object, Object> pending = new LinkedHashMap<>();
            Map<Object, Throwable> rejected = new LinkedHashMap<>();
            keys.forEach(k -> {
                pending.put(k, null);
                rejected.put(k, e);
            });
            settleRejected(pending, rejected);
            keys.retainAll(pending.keySet());
            if (!keys.isEmpty()) {
                throw new StoreFailedException("map '" + loader.mapName() + "': the database rejected deleting "
                        + keys.size() + " key(s); they stay queued: " + FailureClassifier.describe(e), e);
            }
        }
    }

    /** Hands rejected entries to the poison policy (write-behind) or fails the caller (write-through). */
    private void settleRejected(Map<Object, Object> entries, Map<Object, Throwable> rejected) {
        if (rejected.isEmpty()) {
            return;
        }
        if (!writeBehind) {
            Map.Entry<Object, Throwable> first = rejected.entrySet().iterator().next();
            throw new StoreFailedException("map '" + loader.mapName() + "': the database rejected key " + first.getKey()
                    + ": " + FailureClassifier.describe(first.getValue()), first.getValue());
        }
        try {
            poison.settle(entries, rejected);
        } catch (SQLException e) {
            throw databaseFailed("dead-lettering", entries.size(), e);
        }
        if (!entries.isEmpty()) {
            metrics.retried();
            throw new StoreFailedException("map '" + loader.mapName() + "': " + entries.size()
                    + " entr(ies) rejected by the database stay queued for another attempt", rejected.values().iterator().next());
        }
    }

    private void written(Map<Object, Object> entries, Collection<Object> keys) {
        for (Object key : keys) {
            entries.remove(key);
            poison.written(key);
        }
    }

    private void checkBackoff(int entries) {
        long wait = writeBehind ? backoff.remainingNanos() : 0;
        if (wait > 0) {
            metrics.retried();
            throw new StoreFailedException("map '" + loader.mapName() + "': database unavailable, " + entries
                    + " entr(ies) stay queued; next attempt in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms", null);
        }
    }

    private StoreFailedException databaseFailed(String what, int remaining, SQLException e) {
        metrics.databaseError("database_failed");
        if (writeBehind) {
            backoff.failed();
            metrics.retried();
        }
        String message = "map '" + loader.mapName() + "': " + what + " failed, database unavailable or misconfigured ("
                + FailureClassifier.describe(e) + "); " + remaining + " entr(ies) "
                + (writeBehind ? "stay queued and will be retried" : "not written");
        log.warn(message);
        return new StoreFailedException(message, e);
    }

    private static void rollbackQuietly(Connection c, boolean autoCommit) {
        if (autoCommit) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    @Override
    public Object load(Object key) {
        return loader.load(key);
    }

    @Override
    public Map<Object, Object> loadAll(Collection<Object> keys) {
        return loader.loadAll(keys);
    }

    @Override
    public Iterable<Object> loadAllKeys() {
        return loader.loadAllKeys();
    }

    /** Operator access to this map's dead letters. */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    @Override
    public void init(HazelcastInstance hazelcastInstance, Properties properties, String mapName) {
        if (writeBehind) {
            // Dirty entries = this member's write-behind entries not yet stored; read lazily at scrape time.
            metrics.bindBacklog(() -> hazelcastInstance.getMap(mapName).getLocalMapStats().getDirtyEntryCount());
        }
    }

    @Override
    public void destroy() {
        loader.destroy();
    }
}
