package dev.lattice.bench;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Remote get and put of fixed-size values: Lattice (its client against a grid node) against Redis
 * and against stock Hazelcast, each cell the same keys, payload and concurrency, one after the other.
 */
final class RemoteMapScenario {

    private final BenchOptions options;
    private final LoadGenerator load;
    private final ReportTable table;
    private final byte[] value;

    RemoteMapScenario(BenchOptions options, ReportTable table) {
        this.options = options;
        this.load = new LoadGenerator(options.warmup(), options.duration());
        this.table = table;
        this.value = new byte[options.valueBytes()];
        ThreadLocalRandom.current().nextBytes(value);
    }

    void run(KeyValue lattice, KeyValue redis, KeyValue stock) {
        for (KeyValue system : new KeyValue[] {lattice, redis, stock}) {
            for (int key = 0; key < options.keys(); key++) {
                system.put(key, value);
            }
        }
        String size = options.valueBytes() >= 1024 && options.valueBytes() % 1024 == 0
                ? options.valueBytes() / 1024 + " KB" : options.valueBytes() + " B";
        for (int threads : options.threads()) {
            Result latticeGet = load.closedLoop(threads, () -> get(lattice));
            Result redisGet = load.closedLoop(threads, () -> get(redis));
            Result stockGet = load.closedLoop(threads, () -> get(stock));
            add("Remote get " + size, threads, latticeGet, "Redis GET", redisGet);
            add("Remote get " + size, threads, latticeGet, "Hazelcast 5.7.0 get", stockGet);
            Result latticePut = load.closedLoop(threads, () -> put(lattice));
            Result redisPut = load.closedLoop(threads, () -> put(redis));
            Result stockPut = load.closedLoop(threads, () -> put(stock));
            add("Remote put " + size, threads, latticePut, "Redis SET", redisPut);
            add("Remote put " + size, threads, latticePut, "Hazelcast 5.7.0 set", stockPut);
        }
        if (options.rate() > 0) {
            int threads = options.rateThreads();
            Result latticeGet = load.fixedRate(threads, options.rate(), () -> get(lattice));
            Result redisGet = load.fixedRate(threads, options.rate(), () -> get(redis));
            Result stockGet = load.fixedRate(threads, options.rate(), () -> get(stock));
            String scenario = "Remote get " + size + " at " + options.rate() + "/s (latency from intended start)";
            table.add(new Row(scenario, Integer.toString(threads), "p99 us", latticeGet.p99AsValue(), "Redis GET",
                    redisGet.p99AsValue(), false));
            table.add(new Row(scenario, Integer.toString(threads), "p99 us", latticeGet.p99AsValue(), "Hazelcast 5.7.0 get",
                    stockGet.p99AsValue(), false));
        }
    }

    private void get(KeyValue system) {
        system.getAnyOf(options.keys());
    }

    private void put(KeyValue system) {
        system.put(ThreadLocalRandom.current().nextInt(options.keys()), value);
    }

    private void add(String scenario, int threads, Result lattice, String peer, Result peerResult) {
        table.add(new Row(scenario, Integer.toString(threads), "ops/s", lattice, peer, peerResult, true));
    }
}
