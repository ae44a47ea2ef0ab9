package dev.lattice.bench;

import dev.lattice.client.LatticeClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;

/**
 * The benchmark suite: Lattice next to Redis, stock Hazelcast, raw pgjdbc and local caches in one
 * run, printed as one Markdown table with a Lattice / peer ratio per row.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar [--duration=10s --threads=1,64 ...]</pre>
 *
 * Options are listed on {@link BenchOptions}. Needs Redis and PostgreSQL (see the defaults) and the
 * packaged grid node ({@code mvn -pl benchmarks -am package -DskipTests} builds both jars).
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        run(options, System.out);
        // Hazelcast's and JMH's leftover non-daemon threads must not keep a finished run alive.
        System.exit(0);
    }

    /** Runs every scenario, printing rows to {@code out} as they finish; returns the table's rows. */
    static List<Row> run(BenchOptions options, PrintStream out) throws Exception {
        // Hazelcast's own logger would print every member event between the table's rows.
        System.setProperty("hazelcast.logging.type", "slf4j");
        Path workDir = Files.createTempDirectory("lattice-bench");
        printMachine(options, workDir, out);
        ReportTable table = new ReportTable(out);
        try (BenchDatabase database = BenchDatabase.create(options.jdbcAdminUrl())) {
            if (options.remote() || options.persistence()) {
                serverRows(options, database, workDir, table, out);
            }
            if (options.footprint()) {
                // Alone on the machine: no other server is running while these start and fill.
                new FootprintScenario(options, database, table, out, workDir).run();
            }
        }
        if (options.jmh()) {
            // After the servers stopped: JMH's timings should not share the two cores with idle members.
            new JmhScenario(options, table).run();
        }
        return table.rows();
    }

    /**
     * The servers' 1 GiB, or 1 GiB per 200,000 rows: the node holds every row several times over (the
     * write-behind map and its twin without a store, the sustained write-behind map, the eager map),
     * and at {@code --rows=1000000} 1 GiB ran out during the write-behind rows. Only the maximum
     * grows; the stock member keeps 1 GiB, so at the default 200,000 rows the remote rows compare the
     * same settings.
     */
    static String nodeHeap(BenchOptions options) {
        int gib = Math.max(1, (int) Math.ceil(options.rows() / 200_000.0));
        return "-Xmx" + gib + "g";
    }

    /** Remote get/put and persistence: one Lattice node, one stock member and Redis, side by side. */
    private static void serverRows(BenchOptions options, BenchDatabase database, Path workDir, ReportTable table,
                                   PrintStream out) throws Exception {
        DatabaseScenario persistence = new DatabaseScenario(options, database, table);
        if (options.persistence()) {
            persistence.prepareEagerTable();
        }
        try (GridServerProcess node = GridServerProcess.start(List.of(nodeHeap(options)), options.gridServerJar(),
                     workDir.resolve("node"), DatabaseScenario.nodeSettings(database, options.nodeSettings()));
             LatticeClient client = LatticeClient.builder().addresses(node.address()).clusterName(node.clusterName()).build();
             StockMember.Running stock = StockMember.start(workDir.resolve("stock"));
             RedisClient redis = RedisClient.builder().hostAndPort(options.redisHost(), options.redisPort())
                     .poolConfig(redisPool(options)).build()) {
            KeyValue redisKeys = KeyValue.of(redis, "lattice-bench:" + ProcessHandle.current().pid() + ":", options.keys());
            try {
                if (options.remote()) {
                    KeyValue latticeKeys = KeyValue.of(client.map("bench"), options.keys());
                    KeyValue stockKeys = KeyValue.of(stock.client().getMap("bench"), options.keys());
                    new RemoteMapScenario(options, table).run(latticeKeys, redisKeys, stockKeys);
                    wakeUps(options, table, out, redis, new WakeUpScenario.Server("Lattice", latticeKeys, node.jvm().pid()),
                            redisKeys, new WakeUpScenario.Server("Hazelcast 5.7.0", stockKeys, stock.jvm().pid()));
                }
            } finally {
                redisKeys.clear();
            }
            if (options.persistence()) {
                persistence.run(client, node);
            }
        }
    }

    /**
     * The wake-up rows, where this machine counts switches and Redis runs on it (its {@code INFO}
     * names its process); elsewhere a comment line says why they are missing.
     */
    private static void wakeUps(BenchOptions options, ReportTable table, PrintStream out, RedisClient redis,
                                WakeUpScenario.Server lattice, KeyValue redisKeys, WakeUpScenario.Server stock) {
        if (!WakeUpScenario.supported()) {
            out.println("# thread wake-ups per call: not counted, this system has no /proc/<pid>/task");
            return;
        }
        long redisPid = redisPid(redis.info("server"));
        boolean local = ProcessHandle.of(redisPid).flatMap(process -> process.info().command())
                .filter(command -> command.contains("redis")).isPresent();
        if (!local) {
            out.println("# thread wake-ups per call: not counted, Redis does not run on this machine (pid " + redisPid + ")");
            return;
        }
        new WakeUpScenario(options, table, out).run(lattice, new WakeUpScenario.Server("Redis", redisKeys, redisPid), stock);
    }

    /** {@code process_id} from Redis's {@code INFO server}; -1 when it is not there. */
    static long redisPid(String info) {
        return info.lines().filter(line -> line.startsWith("process_id:"))
                .mapToLong(line -> Long.parseLong(line.substring("process_id:".length()).trim()))
                .findFirst().orElse(-1);
    }

    /** One pooled connection per concurrent caller, as a fleet of single-connection Redis clients has. */
    private static ConnectionPoolConfig redisPool(BenchOptions options) {
        int connections = Math.max(options.rateThreads(), Collections.max(options.threads()));
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(connections);
        pool.setMaxIdle(connections);
        return pool;
    }

    private static void printMachine(BenchOptions options, Path workDir, PrintStream out) throws IOException {
        out.printf("# Lattice benchmarks, %s%n", Instant.now());
        out.printf("# %d cores, %s, Java %s (%s)%n", Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"));
        out.printf("# warm-up %s, measured %s per cell, threads %s, fixed rate %d/s on %d threads, %d keys of %d B,"
                        + " %d rows for drain and load%n", options.warmup(), options.duration(), options.threads(),
                options.rate(), options.rateThreads(), options.keys(), options.valueBytes(), options.rows());
        out.printf("# servers' logs (kept after the run): %s%n%n", workDir);
    }

    private static String cpuModel() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return "unknown CPU";
        }
        return Files.readAllLines(cpuinfo).stream().filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    }
}
