package dev.lattice.cacheloader.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streaming scan of a table serving an eager load on this member.
 *
 * <p>Hazelcast's eager load streams every key from one member, sends the keys to their partition
 * owners, and each owner asks its loader for the values of its keys, a few hundred at a time: a
 * million rows cost thousands of {@code WHERE key = ANY(?)} queries on top of the key scan. Here
 * the first {@code loadAll} of an eager load starts one scan of keys and values on this member,
 * keeping the rows of the partitions this member owns; every {@code loadAll} of the load is then
 * served from memory, and each row is dropped once served. Keys the scan did not keep (their
 * partition moved here during the load) are read from the table as before.
 */
final class EagerPrefetch {

    private static final Logger log = LoggerFactory.getLogger(EagerPrefetch.class);
    private static final int FETCH_SIZE = 10_000;

    /** A scan serves the loads of one eager load; a later load (a reload) reads the table again. */
    private static final long SCAN_LIFETIME_NANOS = 60_000_000_000L;

    private final MapTable table;
    private final String selectAll;
    private volatile CompletableFuture<Map<Object, Object>> scan;
    private volatile long scanStarted;

    EagerPrefetch(MapTable table) {
        this.table = table;
        this.selectAll = "SELECT " + table.settings().keyColumn().quoted() + ", " + table.settings().valueColumn().quoted()
                + " FROM " + table.settings().table().quoted();
    }

    /**
     * Serves {@code keys} from the scan (starting it if needed, on {@code owned} partitions),
     * removing what it finds from {@code keys} and putting it in {@code into}. Keys left in {@code keys}
     * were not kept by the scan.
     *
     * @throws SQLException if the scan failed; the next load starts a new one
     */
    void serve(Collection<Object> keys, Map<Object, Object> into, ToIntFunction<Object> partitionOf, IntPredicate owned)
            throws SQLException {
        Map<Object, Object> rows = await(start(partitionOf, owned));
        keys.removeIf(key -> {
            Object value = rows.remove(key);
            if (value != null) {
                into.put(key, value);
                return true;
            }
            return false;
        });
    }

    private synchronized CompletableFuture<Map<Object, Object>> start(ToIntFunction<Object> partitionOf, IntPredicate owned) {
        CompletableFuture<Map<Object, Object>> current = scan;
        if (current == null || current.isCompletedExceptionally() || System.nanoTime() - scanStarted > SCAN_LIFETIME_NANOS) {
            scanStarted = System.nanoTime();
            current = CompletableFuture.supplyAsync(() -> scanOwnedRows(partitionOf, owned), runnable -> {
                Thread thread = new Thread(runnable, "lattice-eager-load-" + table.mapName());
                thread.setDaemon(true);
                thread.start();
            });
            scan = current;
        }
        return current;
    }


    private Map<Object, Object> scanOwnedRows(ToIntFunction<Object> partitionOf, IntPredicate owned) {
        long started = System.nanoTime();
        Map<Object, Object> rows = new ConcurrentHashMap<>();
        long scanned = 0;
        try (Connection c = table.connection()) {
            // PostgreSQL only streams with autocommit off and a fetch size.
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(selectAll, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        scanned++;
                        Object key = table.readKey(rs, 1);
                        if (owned.test(partitionOf.applyAsInt(key))) {
                            Object value = table.values().read(rs, 2);
                            if (value != null) {
                                rows.put(key, value);
                            }
                        }
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new ScanFailed(e);
        }
        log.info("map '{}': eager load scanned {} rows of table {} in {} ms, keeping the {} of this member's partitions",
                table.mapName(), scanned, table.settings().table(), (System.nanoTime() - started) / 1_000_000, rows.size());
        return rows;
    }

    private static Map<Object, Object> await(CompletableFuture<Map<Object, Object>> scan) throws SQLException {
        try {
            return scan.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the eager-load scan", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ScanFailed failed) {
                throw failed.sqlException();
            }
            throw new SQLException("the eager-load scan failed", e.getCause());
        }
    }

    /** Carries the scan's SQL failure out of the async task. */
    private static final class ScanFailed extends RuntimeException {
        ScanFailed(SQLException cause) {
            super(cause);
        }

        SQLException sqlException() {
            return (SQLException) getCause();
        }
    }

}
