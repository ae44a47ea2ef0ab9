package dev.lattice.bench;

import com.hazelcast.map.IMap;
import dev.lattice.client.LatticeClient;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;

/**
 * Lattice's persistence against raw pgjdbc on identical tables in the same database: write-through
 * {@code set} and {@code putAll}, the write-behind drain, and the eager load at node start.
 */
final class DatabaseScenario {

    /** The grid node's maps, each on its own table (see {@link #nodeSettings}). */
    static final String WRITE_THROUGH = "bench_wt";
    static final String WRITE_BEHIND = "bench_wb";
    static final String WRITE_BEHIND_SUSTAINED = "bench_wbs";
    static final String EAGER = "bench_load";
    static final String MEMORY_ONLY = "bench_mem";
    private static final int BATCH = 1000;

    private final BenchOptions options;
    private final BenchDatabase database;
    private final RawJdbc raw;
    private final LoadGenerator load;
    private final ReportTable table;
    private final String value;

    DatabaseScenario(BenchOptions options, BenchDatabase database, ReportTable table) {
        this.options = options;
        this.database = database;
        this.raw = new RawJdbc(database);
        this.load = new LoadGenerator(options.warmup(), options.duration());
        this.table = table;
        this.value = "v".repeat(100); // issue 12's shape: short text values, string keys
    }

    /** The node's store settings for the maps this scenario uses, then {@code extra} (which can override them). */
    static List<String> nodeSettings(BenchDatabase database, List<String> extra) {
        List<String> settings = new ArrayList<>(database.nodeSettings());
        settings.addAll(List.of(
                "--lattice.maps." + WRITE_THROUGH + ".store.mode=write-through",
                "--lattice.maps." + WRITE_THROUGH + ".store.value-type=text",
                "--lattice.maps." + WRITE_BEHIND + ".store.mode=write-behind",
                "--lattice.maps." + WRITE_BEHIND + ".store.value-type=text",
                // Long enough that nothing drains while the rows go in: the drain is then timed alone.
                "--lattice.maps." + WRITE_BEHIND + ".store.write-delay=600s",
                // Defaults (write delay 1 s): the drainer stores while the rows go in, as in production.
                "--lattice.maps." + WRITE_BEHIND_SUSTAINED + ".store.mode=write-behind",
                "--lattice.maps." + WRITE_BEHIND_SUSTAINED + ".store.value-type=text",
                "--lattice.maps." + EAGER + ".store.mode=read-through",
                "--lattice.maps." + EAGER + ".store.value-type=text",
                "--lattice.maps." + EAGER + ".store.initial-load=eager"));
        settings.addAll(extra);
        return settings;
    }

    /** A node setting as the run gives it in {@code --node-settings}, else the node's default. */
    private String nodeSetting(String name, String nodeDefault) {
        return options.nodeSettings().stream().filter(setting -> setting.startsWith("--" + name + "="))
                .map(setting -> setting.substring(setting.indexOf('=') + 1)).reduce((first, last) -> last).orElse(nodeDefault);
    }

    /** Before the node starts: the eager map's table holding {@code rows} rows, for the node to load. */
    void prepareEagerTable() throws Exception {
        raw.createTable(EAGER);
        raw.batchedUpsert(EAGER, "row-", options.rows(), BATCH, 4, value);
    }

    void run(LatticeClient client, GridServerProcess node) throws Exception {
        writeThroughSet(client.map(WRITE_THROUGH));
        writeThroughPutAll(client.map(WRITE_THROUGH));
        writeBehind(client.map(WRITE_BEHIND), client.map(MEMORY_ONLY), client.map(WRITE_BEHIND_SUSTAINED));
        eagerLoad(node);
    }

    private void writeThroughSet(IMap<String, String> map) throws Exception {
        raw.createTable("raw_wt");
        for (int threads : options.threads()) {
            Result lattice = load.closedLoop(threads, () -> map.set(randomKey(), value));
            Result peer;
            try (RawJdbc.SingleRowUpserts upserts = raw.singleRowUpserts("raw_wt")) {
                peer = load.closedLoop(threads, () -> upserts.upsert(randomKey(), value));
            }
            table.add(new Row("Write-through set", Integer.toString(threads), "rows/s", lattice,
                    "pgjdbc single-row autocommit upsert", peer, true));
        }
    }

    /** Timed as a whole, not per cell: one batch can outlast a short measured window. */
    private void writeThroughPutAll(IMap<String, String> map) throws Exception {
        int batches = Math.max(2, options.rows() / 10 / BATCH);
        long start = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            map.putAll(batch("wtb-", i));
        }
        long latticeNanos = System.nanoTime() - start;
        long rawNanos;
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                RawJdbc.upsertBatch(c, "raw_wt", List.copyOf(batch("wtb-", i).keySet()), value);
            }
            rawNanos = System.nanoTime() - start;
        }
        table.add(new Row("Write-through putAll, " + batches + " batches of 1,000", "1", "rows/s",
                Result.bulk((long) batches * BATCH, latticeNanos), "pgjdbc batched upsert, 1 tx per batch",
                Result.bulk((long) batches * BATCH, rawNanos), true));
    }

    private void writeBehind(IMap<String, String> map, IMap<String, String> memoryOnly, IMap<String, String> sustained)
            throws Exception {
        int rows = options.rows();
        long ackNanos = putAllInBatches(map, "wb-", rows);
        long memoryNanos = putAllInBatches(memoryOnly, "mem-", rows);
        table.add(new Row("Write-behind putAll, acknowledged", "1", "rows/s", Result.bulk(rows, ackNanos),
                "Lattice map without a store", Result.bulk(rows, memoryNanos), true));

        // The same rows into a map with the default 1 s write delay: acknowledging while the drainer
        // stores, and the whole job until the table holds them.
        long start = System.nanoTime();
        long sustainedAckNanos = putAllInBatches(sustained, "wbs-", rows);
        awaitRows(WRITE_BEHIND_SUSTAINED, rows);
        long sustainedNanos = System.nanoTime() - start;
        table.add(new Row("Write-behind putAll, acknowledged while draining (write delay 1 s)", "1", "rows/s",
                Result.bulk(rows, sustainedAckNanos), "Lattice map without a store", Result.bulk(rows, memoryNanos), true));

        // The peer is timed right before the drain and right after, and the faster counts: on a shared
        // machine PostgreSQL's background work on the rows just written (checkpoints, autovacuum) lands
        // on one or the other, and it moved the peer by 1.7x between runs when timed only after.
        raw.createTable("raw_wb_before");
        long rawBeforeNanos = raw.batchedUpsert("raw_wb_before", "wb-", rows, BATCH, 4, value);

        start = System.nanoTime();
        map.flush();
        awaitRows(WRITE_BEHIND, rows);
        long drainNanos = System.nanoTime() - start;

        raw.createTable("raw_wb");
        long rawNanos = Math.min(rawBeforeNanos, raw.batchedUpsert("raw_wb", "wb-", rows, BATCH, 4, value));
        String drain = "Write-behind drain (flush) of " + rows + " rows";
        String writers = "writers " + nodeSetting("lattice.datasource.write-parallelism", "2");
        table.add(new Row(drain, writers, "rows/s", Result.bulk(rows, drainNanos),
                "pgjdbc batched upsert, 4 connections, best of 2", Result.bulk(rows, rawNanos), true));
        raw.createTable("raw_copy");
        long copyNanos = raw.copy("raw_copy", "wb-", rows, value);
        table.add(new Row(drain, writers, "rows/s", Result.bulk(rows, drainNanos),
                "pgjdbc COPY into an empty table, 1 connection", Result.bulk(rows, copyNanos), true));
        table.add(new Row("Write-behind putAll until stored (write delay 1 s)", writers, "rows/s",
                Result.bulk(rows, sustainedNanos), "pgjdbc batched upsert, 4 connections, best of 2", Result.bulk(rows, rawNanos), true));
    }

    /**
     * Until {@code table} holds {@code rows} rows, whether or not a flush waited for its stores; the
     * polls (each a count(*) scan on the two shared cores) are spaced so they barely slow the drain.
     */
    private void awaitRows(String table, int rows) {
        Awaitility.await(table + " stored").atMost(Duration.ofMinutes(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100)).until(() -> raw.count(table) >= rows);
    }

    private void eagerLoad(GridServerProcess node) throws Exception {
        int rows = options.rows();
        long latticeMillis = node.eagerLoadMillis(EAGER, rows);
        // Read once unmeasured, to warm this JVM's JIT; PostgreSQL's cache was already warm for both
        // (the node loaded the table right after it was written).
        raw.streamingSelect(EAGER, rows);
        long rawNanos = raw.streamingSelect(EAGER, rows);
        table.add(new Row("Eager load of " + rows + " rows at node start", "1 node", "rows/s",
                Result.bulk(rows, latticeMillis * 1_000_000L), "pgjdbc streaming SELECT into a HashMap",
                Result.bulk(rows, rawNanos), true));
    }

    private long putAllInBatches(IMap<String, String> map, String prefix, int rows) {
        long start = System.nanoTime();
        Map<String, String> batch = new HashMap<>();
        for (int i = 0; i < rows; i++) {
            batch.put(prefix + i, value);
            if (batch.size() == BATCH || i == rows - 1) {
                map.putAll(batch);
                batch.clear();
            }
        }
        return System.nanoTime() - start;
    }

    private String randomKey() {
        return "wt-" + ThreadLocalRandom.current().nextInt(options.keys());
    }

    private Map<String, String> batch(String prefix, int index) {
        Map<String, String> batch = new HashMap<>();
        for (int i = 0; i < BATCH; i++) {
            batch.put(prefix + (index * BATCH + i), value);
        }
        return batch;
    }
}
