package dev.lattice.bench;

import com.hazelcast.map.IMap;
import dev.lattice.client.LatticeClient;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a node costs before it serves anything: how long it takes to become ready, and how much heap
 * an entry takes, each next to a stock Hazelcast member started and filled the same way.
 */
final class FootprintScenario {

    /** A map the node has no settings for: memory only, Lattice's defaults. */
    static final String HEAP_MAP = "bench_heap";
    private static final int BATCH = 1000;

    private final BenchOptions options;
    private final BenchDatabase database;
    private final ReportTable table;
    private final PrintStream out;
    private final Path workDir;
    private final String value = "v".repeat(100);

    FootprintScenario(BenchOptions options, BenchDatabase database, ReportTable table, PrintStream out, Path workDir) {
        this.options = options;
        this.database = database;
        this.table = table;
        this.out = out;
        this.workDir = workDir;
    }

    void run() {
        startTimes();
        heapPerEntry();
    }

    /**
     * Each server is started once unmeasured (the jar in the page cache, the schema migrated, the
     * embedded database initialised: what any restart finds), then {@code starts} times, measured
     * from launching the JVM to ready: for a node, its readiness probe answering 200 (member up,
     * maps loaded, Spring context running); for the stock member, {@code newHazelcastInstance} returned.
     */
    private void startTimes() {
        Result stock = median("stock Hazelcast member started", () -> {
            try (StockMember.Running member = StockMember.start(workDir.resolve("stock-start"))) {
                return member.startedAfter();
            }
        });
        List<String> external = withDatabase();
        Result withDatabase = median("Lattice node ready, PostgreSQL at --jdbc", () -> {
            try (GridServerProcess node = GridServerProcess.start(options.gridServerJar(), workDir.resolve("node-start"), external)) {
                return node.readyAfter();
            }
        });
        table.add(new Row("Start to ready, PostgreSQL at --jdbc", "median of " + options.starts(), "ms", withDatabase,
                "Hazelcast 5.7.0 member started", stock, false));
        Path cds = workDir.resolve("node-cds");
        Path extracted = extract(cds.resolve("app"));
        Path archive = cds.resolve("grid-server.jsa");
        GridServerProcess.trainClassDataSharing(extracted, archive, cds, external);
        // -Xshare:on: a JVM that can not map the archive fails to start instead of timing a start without it.
        Result withArchive = median("Lattice node ready, extracted jar and CDS archive", () -> {
            try (GridServerProcess node = GridServerProcess.start(List.of("-XX:SharedArchiveFile=" + archive.toAbsolutePath(), "-Xshare:on"),
                    extracted, cds, external)) {
                return node.readyAfter();
            }
        });
        table.add(new Row("Start to ready, PostgreSQL at --jdbc, extracted jar + CDS archive", "median of " + options.starts(),
                "ms", withArchive, "Hazelcast 5.7.0 member started", stock, false));
        // No datasource URL: the node starts (or joins) the embedded PostgreSQL in its directory, as the README's run command does.
        Result embedded = median("Lattice node ready, embedded PostgreSQL", () -> {
            try (GridServerProcess node = GridServerProcess.start(options.gridServerJar(), workDir.resolve("node-embedded"),
                    options.nodeSettings())) {
                return node.readyAfter();
            }
        });
        table.add(new Row("Start to ready, embedded PostgreSQL (defaults)", "median of " + options.starts(), "ms", embedded,
                "Hazelcast 5.7.0 member started", stock, false));
    }

    /**
     * Heap after a full collection, before and after {@code --heap-entries} entries (string keys,
     * 100-character string values) went in by {@code putAll}s of 1,000; the difference per entry.
     * One member each, so neither holds a backup copy.
     */
    private void heapPerEntry() {
        int entries = options.heapEntries();
        Result lattice;
        try (GridServerProcess node = GridServerProcess.start(options.gridServerJar(), workDir.resolve("node-heap"),
                withDatabase());
             LatticeClient client = LatticeClient.builder().addresses(node.address()).clusterName(node.clusterName()).build()) {
            lattice = bytesPerEntry(node.jvm(), client.map(HEAP_MAP), entries);
        }
        Result stock;
        try (StockMember.Running member = StockMember.start(workDir.resolve("stock-heap"))) {
            stock = bytesPerEntry(member.jvm(), member.client().getMap(HEAP_MAP), entries);
        }
        table.add(new Row(String.format(Locale.ROOT, "Heap per entry, %,d entries of 100 B", entries), "1 member",
                "B/entry", lattice, "Hazelcast 5.7.0 member, same entries", stock, false));
    }

    private Result bytesPerEntry(ChildJvm jvm, IMap<String, String> map, int entries) {
        long before = jvm.heapUsedAfterFullGc();
        Map<String, String> batch = new HashMap<>();
        for (int i = 0; i < entries; i++) {
            batch.put("heap-" + i, value);
            if (batch.size() == BATCH || i == entries - 1) {
                map.putAll(batch);
                batch.clear();
            }
        }
        if (map.size() != entries) {
            throw new IllegalStateException(HEAP_MAP + " holds " + map.size() + " entries, expected " + entries);
        }
        long after = jvm.heapUsedAfterFullGc();
        return Result.single((after - before) / (double) entries, entries);
    }

    /** {@code java -Djarmode=tools -jar grid-server.jar extract}: the jar's layout for class data sharing. */
    private Path extract(Path destination) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ChildJvm.runTool(List.of(java.toString(), "-Djarmode=tools", "-jar", options.gridServerJar().toAbsolutePath().toString(),
                "extract", "--destination", destination.toString()));
        Path jar = destination.resolve(options.gridServerJar().getFileName());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("extracting " + options.gridServerJar() + " left no " + jar);
        }
        return jar;
    }

    private Result median(String what, Supplier<Duration> start) {
        start.get();
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < options.starts(); i++) {
            millis.add(start.get().toMillis());
        }
        out.printf("# %s after (ms, one unmeasured start before): %s%n", what,
                millis.stream().map(String::valueOf).collect(Collectors.joining(", ")));
        List<Long> sorted = millis.stream().sorted().toList();
        return Result.single(sorted.get(sorted.size() / 2), sorted.size());
    }

    private List<String> withDatabase() {
        List<String> settings = new ArrayList<>(database.nodeSettings());
        settings.addAll(options.nodeSettings());
        return settings;
    }
}
