package dev.lattice.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run measures and against what. Every option is {@code --name=value}; {@link #parse}
 * names an unknown option or a bad value and stops.
 *
 * @param warmup       unmeasured time before each cell ({@code --warmup}, default 5s)
 * @param duration     measured time per cell ({@code --duration}, default 10s)
 * @param threads      closed-loop concurrency sweep ({@code --threads}, default 1,4,16,64)
 * @param rate         fixed-rate mode's operations per second; 0 skips it ({@code --rate}, default 20000)
 * @param rateThreads  threads issuing the fixed rate ({@code --rate-threads}, default 16)
 * @param keys         distinct keys for remote get/put ({@code --keys}, default 10000)
 * @param valueBytes   remote get/put payload ({@code --value-bytes}, default 1024)
 * @param rows         rows for the write-behind drain and the eager load ({@code --rows}, default 200000)
 * @param redis        Redis {@code host:port} ({@code --redis}, default 127.0.0.1:6379)
 * @param jdbcAdminUrl a maintenance database URL with credentials; the run creates and drops its own
 *                     database next to it ({@code --jdbc}, default jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres)
 * @param gridServerJar the packaged grid node ({@code --grid-jar}, default grid-server/target/grid-server.jar)
 * @param remote       run the remote get/put sweep against Redis and stock Hazelcast ({@code --remote}, default true)
 * @param persistence  run the write-through, write-behind and eager-load rows against raw pgjdbc ({@code --persistence}, default true)
 * @param jmh          run the JMH near-cache benchmarks ({@code --jmh}, default true)
 * @param jmhSmoke     JMH in this JVM with one short iteration: proves the wiring, measures little
 *                     ({@code --jmh-smoke}, default false)
 * @param footprint    run the start-time and heap-per-entry rows ({@code --footprint}, default true)
 * @param starts       measured starts per server for the start-time rows, after one unmeasured ({@code --starts}, default 3)
 * @param heapEntries  entries for the heap-per-entry row ({@code --heap-entries}, default 1000000)
 * @param nodeSettings extra settings for the grid node, e.g. {@code --node-settings=lattice.datasource.pool-size=8,lattice.datasource.write-parallelism=4}
 *                     (default none)
 */
record BenchOptions(Duration warmup, Duration duration, List<Integer> threads, int rate, int rateThreads, int keys,
                    int valueBytes, int rows, String redis, String jdbcAdminUrl, Path gridServerJar, boolean remote, boolean persistence, boolean jmh,
                    boolean jmhSmoke, boolean footprint, int starts, int heapEntries, List<String> nodeSettings) {

    static BenchOptions parse(String... args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
            }
            given.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        Map<String, String> values = new HashMap<>(Map.ofEntries(
                Map.entry("warmup", "5s"), Map.entry("duration", "10s"), Map.entry("threads", "1,4,16,64"),
                Map.entry("rate", "20000"), Map.entry("rate-threads", "16"), Map.entry("keys", "10000"),
                Map.entry("value-bytes", "1024"), Map.entry("rows", "200000"), Map.entry("redis", "127.0.0.1:6379"),
                Map.entry("jdbc", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"),
                Map.entry("grid-jar", System.getProperty("grid.server.jar", "grid-server/target/grid-server.jar")),
                Map.entry("remote", "true"), Map.entry("persistence", "true"), Map.entry("jmh", "true"), Map.entry("jmh-smoke", "false"),
                Map.entry("footprint", "true"), Map.entry("starts", "3"), Map.entry("heap-entries", "1000000"),
                Map.entry("node-settings", "")));
        for (String name : given.keySet()) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("Unknown option --" + name + "; known: " + values.keySet());
            }
        }
        values.putAll(given);
        return new BenchOptions(duration(values, "warmup"), duration(values, "duration"),
                Arrays.stream(values.get("threads").split(",")).map(String::trim).map(t -> positive("threads", t)).toList(),
                Integer.parseInt(values.get("rate")), positive("rate-threads", values.get("rate-threads")),
                positive("keys", values.get("keys")), positive("value-bytes", values.get("value-bytes")),
                positive("rows", values.get("rows")), values.get("redis"), values.get("jdbc"),
                Path.of(values.get("grid-jar")), Boolean.parseBoolean(values.get("remote")),
                Boolean.parseBoolean(values.get("persistence")), Boolean.parseBoolean(values.get("jmh")),
                Boolean.parseBoolean(values.get("jmh-smoke")), Boolean.parseBoolean(values.get("footprint")),
                positive("starts", values.get("starts")), positive("heap-entries", values.get("heap-entries")),
                Arrays.stream(values.get("node-settings").split(",")).map(String::trim).filter(v -> !v.isEmpty())
                        .map(v -> "--" + v).toList());
    }

    String redisHost() {
        return redis.substring(0, redis.lastIndexOf(':'));
    }

    int redisPort() {
        return Integer.parseInt(redis.substring(redis.lastIndexOf(':') + 1));
    }

    private static Duration duration(Map<String, String> values, String name) {
        String value = values.get(name).trim().toLowerCase();
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // reported below with the option's name
        }
        throw new IllegalArgumentException("--" + name + " must be like 10s or 500ms, was '" + values.get(name) + "'");
    }

    private static int positive(String name, String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the option's name
        }
        throw new IllegalArgumentException("--" + name + " must be a positive whole number, was '" + value + "'");
    }
}
