package dev.lattice.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs the in-process JMH benchmarks and adds the near cache's rows to the table. */
final class JmhScenario {

    private final BenchOptions options;
    private final ReportTable table;

    JmhScenario(BenchOptions options, ReportTable table) {
        this.options = options;
        this.table = table;
    }

    void run() throws RunnerException {
        ChainedOptionsBuilder builder = new OptionsBuilder()
                .include(NearCacheBenchmark.class.getName())
                .include(LocalCacheBenchmark.class.getName())
                .threads(1)
                .verbosity(VerboseMode.SILENT);
        if (options.jmhSmoke()) {
            // In this JVM, one short iteration: proves the wiring in the smoke test, measures little.
            builder.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(200));
        } else {
            builder.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                    .jvmArgsAppend(jmhJvmArgs());
        }
        Map<String, Result> scores = scores(new Runner(builder.build()).run());
        for (String format : List.of("BINARY", "OBJECT", "BINARY_FRONT", "OBJECT_FRONT")) {
            Result nearCache = scores.get("latticeNearCacheHit:" + format);
            String scenario = "Near-cache hit (JMH), " + format.replace("_FRONT", " + front");
            table.add(new Row(scenario, "1", "ns/op", nearCache,
                    "Caffeine getIfPresent", scores.get("caffeineGetIfPresent"), false));
            table.add(new Row(scenario, "1", "ns/op", nearCache,
                    "ConcurrentHashMap.get", scores.get("concurrentHashMapGet"), false));
        }
    }

    /** The servers' flags, and Hazelcast logging through SLF4J as in this JVM (its default logger is chatty). */
    private static String[] jmhJvmArgs() {
        List<String> args = new ArrayList<>(ChildJvm.SERVER_FLAGS);
        args.add("-Dhazelcast.logging.type=slf4j");
        return args.toArray(String[]::new);
    }

    private static Map<String, Result> scores(Collection<RunResult> results) {
        Map<String, Result> scores = new HashMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String format = result.getParams().getParam("format");
            scores.put(format == null ? method : method + ":" + format,
                    Result.nanosPerOp(result.getPrimaryResult().getScore(), result.getPrimaryResult().getSampleCount()));
        }
        return scores;
    }
}
