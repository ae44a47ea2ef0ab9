package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.metrics.MapStoreMetrics.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An eager load as one streaming scan of the table, each row put straight into its partition.
 *
 * <p>Hazelcast's own eager load streams every key from one member, sends the keys to their
 * partitions, and each partition asks its loader for the values of its keys and puts them: per
 * million rows a second pass over the table, a thousand load tasks each waiting on two operations,
 * and every key serialized twice and deserialized once. Measured on one node, a million rows took
 * 4.6-4.8 s that way and 2.8-3.2 s as one scan ({@code docs/benchmarks.md}). The scan runs where Hazelcast asks for the keys, on
 * the member that streams them, while every partition refuses reads and writes until that member
 * reports the key load finished; see {@code ScannedRowsOperation} for why rows put then can not
 * overwrite anything newer.
 */
final class EagerScan {

    private static final Logger log = LoggerFactory.getLogger(EagerScan.class);
    /** Rows per round trip; also how often the scan's progress is recorded as a load in the metrics. */
    static final int FETCH_SIZE = 10_000;

    private EagerScan() {
    }

    /**
     * Scans {@code table} into {@code target}.
     *
     * @return the keys Hazelcast's own load must still load, or null if the map was not in its
     *         initial load (a reload): then every key must go through Hazelcast's load
     * @throws SQLException if the scan failed; rows already put stay, and a reload completes them
     */
    static List<Object> load(MapTable table, LoadTarget target) throws SQLException {
        long started = System.nanoTime();
        long chunkStarted = started;
        long scanned = 0;
        long taken = 0;
        boolean more = true;
        try (Connection c = table.connection()) {
            // PostgreSQL only streams with autocommit off and a fetch size.
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(table.sql().selectAll, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (more && rs.next()) {
                        Object value = table.values().read(rs, 2);
                        if (value != null) {
                            more = target.add(table.readKey(rs, 1), value);
                            taken++;
                        }
                        if (++scanned % FETCH_SIZE == 0) {
                            long now = System.nanoTime();
                            table.metrics().record(Operation.LOAD, now - chunkStarted, FETCH_SIZE, true);
                            chunkStarted = now;
                        }
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        List<Object> rest = target.finish();
        if (rest == null) {
            log.info("map '{}': the eager-load scan found the map already loaded (a reload); its keys go through"
                    + " Hazelcast's load", table.mapName());
            return null;
        }
        log.info("map '{}': eager load put {} rows of table {} into their partitions in {} ms; {} keys of the"
                        + " key-streaming partition follow through Hazelcast's load", table.mapName(), taken - rest.size(),
                table.settings().table(), (System.nanoTime() - started) / 1_000_000, rest.size());
        return rest;
    }
}
