package dev.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.IMap;
import dev.lattice.client.LatticeClient;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one fault scenario: a fresh database, a grid of packaged nodes, writers with a
 * ledger; the test injects its fault between {@link #startLoad} and {@link #stopLoad}, then
 * {@link #verify} waits for the table to match the ledger and records the result.
 */
final class Scenario implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Scenario.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    static final int WRITERS = 8;
    static final int KEYS = 20_000;

    final String name;
    final long seed;
    final FaultDatabase database;
    final Grid grid;
    final Ledger ledger = new Ledger();
    private final WriteAudit audit;
    private final Path logs;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private LatticeClient client;
    private long loadStoppedAt;

    private Scenario(String name, long seed, FaultDatabase database, Grid grid, Path logs) {
        this.name = name;
        this.logs = logs;
        this.seed = seed;
        this.database = database;
        this.grid = grid;
        this.audit = WriteAudit.install(database, Grid.MAP);
    }

    /** A database and {@code nodes} nodes started together; {@code extraArgs} go to every node. */
    static Scenario start(String name, int nodes, long seed, String... extraArgs) {
        return start(name, nodes, seed, null, extraArgs);
    }

    /** As above, each node on its own host (network namespace) when {@code hosts} is given. */
    static Scenario start(String name, int nodes, long seed, IsolatedHosts hosts, String... extraArgs) {
        Path logs = Path.of(System.getProperty("faults.logs", "target/fault-logs")).resolve(name + "-seed" + seed);
        FaultDatabase database;
        try {
            database = hosts == null ? FaultDatabase.create()
                    : FaultDatabase.create(java.net.InetAddress.getByName(hosts.bridgeAddress()));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        Grid grid = Grid.of(nodes, database, logs, logs.resolve("work"), hosts, extraArgs);
        try {
            grid.start(Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            grid.close();
            database.close();
            throw e;
        }
        try {
            return new Scenario(name, seed, database, grid, logs);
        } catch (RuntimeException e) {
            grid.close();
            database.close();
            throw e;
        }
    }

    static long seed() {
        return Long.getLong("faults.seed", 1);
    }

    static int runs() {
        return Integer.getInteger("faults.runs", 1);
    }

    /** How long writers run in each scenario. */
    static Duration load() {
        return Duration.ofSeconds(Long.getLong("faults.load.seconds", 12));
    }

    IMap<String, String> map() {
        return client().map(Grid.MAP);
    }

    private LatticeClient client() {
        if (client == null) {
            client = grid.client();
        }
        return client;
    }

    /** The cluster's master as the client sees it: the oldest member, first in the member list. */
    GridProcess master() {
        int port = client().hazelcast().getCluster().getMembers().iterator().next().getAddress().getPort();
        return grid.nodes().stream().filter(n -> n.memberPort() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node listens on member port " + port));
    }

    void startLoad() {
        ledger.start(map(), WRITERS, KEYS, seed, true);
        mark("load started");
    }

    /** The same load with no deletes (for a scenario whose deletes are a known, documented failure). */
    void startLoadWithoutDeletes() {
        ledger.start(map(), WRITERS, KEYS, seed, false);
        mark("load started, no deletes");
    }

    void stopLoad() {
        ledger.stop();
        loadStoppedAt = System.nanoTime();
        mark("load stopped");
    }

    /** Notes what the scenario did, and when, for the diagnosis of a failed run. */
    void mark(String event) {
        events.add(TIME.format(Instant.now()) + " " + event);
    }

    /** Lets the writers run for {@code duration}: the shape of the scenario, not a wait for a condition. */
    static void hold(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }

    /**
     * Waits (up to {@code bound}) until the table holds every acknowledged write with its last
     * acknowledged value, reads every key back from the grid, then records and asserts both.
     */
    Ledger.Check verify(Duration bound) {
        AtomicReference<Ledger.Check> last = new AtomicReference<>();
        try {
            await().atMost(bound).pollInterval(Duration.ofMillis(500)).until(() -> {
                Ledger.Check check = ledger.check(database.rows(Grid.MAP));
                last.set(check);
                return check.clean();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // Reported below with the numbers.
        }
        Ledger.Check check = last.get();
        long recovery = (System.nanoTime() - loadStoppedAt) / 1_000_000;
        // Not the table alone: a merge or a reload could leave the grid answering an older value (or a
        // deleted one) while the table is right, and every read would then see it.
        Ledger.Check inGrid = ledger.check(gridContents(), "the grid");
        if (!check.clean() || !inGrid.clean() || ledger.staleReads() > 0) {
            diagnose(check, inGrid);
        }
        if (ledger.failedCalls() > 0) {
            log.info("{} (seed {}): {} failed client calls, by cause:{}", name, seed, ledger.failedCalls(), ledger.failureCauses());
        }
        FaultReport.record(name, seed, ledger, check, inGrid, recovery);
        assertThat(ledger.writes()).as("the scenario wrote something").isPositive();
        assertThat(check.examples()).as(name + ": acknowledged writes lost or stale (lost %d, stale %d, ahead %d)",
                check.lost(), check.stale(), check.ahead()).isEmpty();
        assertThat(inGrid.examples()).as(name + ": keys the grid answers wrong after recovery (lost %d, stale %d, ahead %d)",
                inGrid.lost(), inGrid.stale(), inGrid.ahead()).isEmpty();
        assertThat(ledger.staleReadExamples()).as(name + ": calls that answered other than the last acknowledged value"
                + " (%d)", ledger.staleReads()).isEmpty();
        return check;
    }

    /**
     * What the grid answers for every key the ledger knows, read once the load has stopped and the
     * table matched (a key it does not hold is read from the table, as any client read would).
     * Retried while the cluster still settles: a call failing here is not what is checked.
     */
    private Map<String, String> gridContents() {
        List<String> keys = List.copyOf(ledger.keySet());
        Map<String, String> held = new HashMap<>();
        for (int from = 0; from < keys.size(); from += 1_000) {
            Set<String> batch = new HashSet<>(keys.subList(from, Math.min(keys.size(), from + 1_000)));
            held.putAll(await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> map().getAll(batch), r -> true));
        }
        return held;
    }

    /**
     * Prints, for each key that ended wrong, when its last write was acknowledged, every change the
     * nodes made to its row and every claim of its partition: enough to tell a write that never
     * reached the table from one that was overwritten, and by which node.
     */
    private void diagnose(Ledger.Check check, Ledger.Check inGrid) {
        StringBuilder out = new StringBuilder(name + " (seed " + seed + ") ended wrong; scenario events:\n");
        events.forEach(e -> out.append("  ").append(e).append('\n'));
        inGrid.examples().forEach(e -> out.append("  ").append(e).append('\n'));
        // Asserted only after the table and the grid, so a run failing on those would not show them.
        ledger.staleReadExamples().forEach(e -> out.append("  answer: ").append(e).append('\n'));
        try {
            Set<String> keys = new LinkedHashSet<>(check.keys());
            keys.addAll(inGrid.keys());
            // A put that answered an older value: the table may have ended right, its history still tells.
            keys.addAll(ledger.staleReadKeys());
            for (String key : keys) {
                Long at = ledger.acknowledgedAt(key);
                int partition = client().hazelcast().getPartitionService().getPartition(key).getPartitionId();
                out.append(key).append(" (partition ").append(partition).append("), last write acknowledged at ")
                        .append(at == null ? "?" : TIME.format(Instant.ofEpochMilli(at)))
                        .append("; the grid holds ").append(map().get(key)).append("; its row's changes:\n");
                audit.historyOf(key).forEach(line -> out.append(line).append('\n'));
                out.append(" claims of partition ").append(partition).append(":\n");
                audit.claimsOf(partition).forEach(line -> out.append(line).append('\n'));
            }
        } catch (SQLException | RuntimeException e) {
            out.append("(diagnosis incomplete: ").append(e).append(")\n");
        }
        log.error("{}", out);
        // Also beside the nodes' logs: the test's own output is overwritten by the next run of the module.
        try {
            java.nio.file.Files.writeString(logs.resolve("diagnosis.txt"), out);
        } catch (java.io.IOException e) {
            log.warn("could not write the diagnosis to {}: {}", logs, e.toString());
        }
    }

    long deadLetters() throws SQLException {
        return database.count("SELECT count(*) FROM lattice_dead_letter");
    }

    @Override
    public void close() {
        grid.close();
        database.close();
    }
}
