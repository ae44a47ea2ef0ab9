package dev.lattice.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Why one caller's remote get is slower on a grid than on Redis: how often a thread blocks and is
 * woken again per call, counted by Linux in {@code /proc/<pid>/task/<tid>/status}
 * ({@code voluntary_ctxt_switches}), on the caller's side (this JVM, every thread) and the server's
 * (the node, the stock member, redis-server). On two shared cores each wake-up is a trip through the
 * scheduler, so the count explains a latency gap that no setting of the server closes.
 *
 * <p>One caller, gets of the keys the remote rows wrote, after as many unmeasured ones. The other
 * threads of this JVM (the idle clients' heartbeats, the JIT) are counted too; in the recorded runs
 * they added about 0.01 per call (docs/benchmarks.md).
 */
final class WakeUpScenario {

    private static final Path PROC = Path.of("/proc");

    private final ReportTable table;
    private final PrintStream out;
    private final int calls;
    private final int keys;

    /** A server under test: its keys and its process. */
    record Server(String name, KeyValue keys, long pid) {
    }

    WakeUpScenario(BenchOptions options, ReportTable table, PrintStream out) {
        this.table = table;
        this.out = out;
        // About one call per 100 us of the configured cell duration: ~50,000 in a full run, a few thousand in the smoke run.
        this.calls = (int) Math.max(1_000, Math.min(50_000, options.duration().toMillis() * 10));
        this.keys = options.keys();
    }

    /** Whether this machine counts a process's switches where {@link #voluntarySwitches} reads them. */
    static boolean supported() {
        return Files.isDirectory(PROC.resolve("self").resolve("task"));
    }

    void run(Server lattice, Server redis, Server stock) {
        double[] latticeSides = perGet(lattice);
        double[] redisSides = perGet(redis);
        double[] stockSides = perGet(stock);
        out.printf(Locale.ROOT, "# thread wake-ups per remote get, caller's JVM + server: %s %.2f + %.2f, %s %.2f + %.2f,"
                        + " %s %.2f + %.2f (%,d calls each)%n", lattice.name(), latticeSides[0], latticeSides[1], redis.name(),
                redisSides[0], redisSides[1], stock.name(), stockSides[0], stockSides[1], calls);
        Result latticeResult = Result.single(latticeSides[0] + latticeSides[1], calls);
        String scenario = "Remote get, thread wake-ups per call (caller's JVM + server)";
        table.add(new Row(scenario, "1", "wake-ups", latticeResult, "Redis GET", Result.single(redisSides[0] + redisSides[1], calls),
                false));
        table.add(new Row(scenario, "1", "wake-ups", latticeResult, "Hazelcast 5.7.0 get",
                Result.single(stockSides[0] + stockSides[1], calls), false));
    }

    /** Voluntary switches per get: {this JVM's, the server's}. */
    private double[] perGet(Server server) {
        for (int i = 0; i < calls; i++) {
            server.keys().getAnyOf(keys);
        }
        long self = ProcessHandle.current().pid();
        long callerBefore = voluntarySwitches(self).orElseThrow();
        long serverBefore = voluntarySwitches(server.pid()).orElseThrow(() -> gone(server));
        for (int i = 0; i < calls; i++) {
            server.keys().getAnyOf(keys);
        }
        long callerAfter = voluntarySwitches(self).orElseThrow();
        long serverAfter = voluntarySwitches(server.pid()).orElseThrow(() -> gone(server));
        return new double[] {(callerAfter - callerBefore) / (double) calls, (serverAfter - serverBefore) / (double) calls};
    }


    private static IllegalStateException gone(Server server) {
        return new IllegalStateException(server.name() + " (pid " + server.pid() + ") is no longer running");
    }

    /**
     * The sum of {@code voluntary_ctxt_switches} over the threads of {@code pid}; empty when the process
     * or {@code /proc} is not there. A thread that ends between two readings takes its switches out of
     * the second; the servers' threads live as long as the servers, so over one cell this is noise.
     */
    static OptionalLong voluntarySwitches(long pid) {
        Path tasks = PROC.resolve(Long.toString(pid)).resolve("task");
        if (!Files.isDirectory(tasks)) {
            return OptionalLong.empty();
        }
        long sum = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                sum += switchesOf(thread.resolve("status"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the threads of process " + pid, e);
        }
        return OptionalLong.of(sum);
    }

    private static long switchesOf(Path status) {
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(line -> line.startsWith("voluntary_ctxt_switches:"))
                    .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim()))
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            // The thread ended between listing and reading: it has no switches in this span to count.
            return 0;
        }
    }
}
