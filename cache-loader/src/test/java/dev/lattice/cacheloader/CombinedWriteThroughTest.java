package dev.lattice.cacheloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Write-through stores of concurrent callers share transactions (issue 12: one commit per row cost
 * most of a write-through {@code putAll}), and sharing changes no caller's outcome: each call
 * returns once its own row committed, and a row the database refuses fails only its own call.
 */
class CombinedWriteThroughTest extends DatabaseBackedTest {

    private static final int THREADS = 32;
    private static final int PER_THREAD = 100;

    @Test
    void concurrentSets_shareTransactions_andEveryAnsweredSetIsInTheTable() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH).table("parcels")
                .valueType(ValueType.TEXT).build();
        try (LocalCluster cluster = Fixtures.cluster(1, "parcels", settings, pool, registry, config -> { })) {
            IMap<String, String> parcels = cluster.newClient().getMap("parcels");
            Map<String, String> answered = new ConcurrentHashMap<>();
            Map<String, String> missingWhenAnswered = new ConcurrentHashMap<>();
            runConcurrently((thread, i) -> {
                String key = "t" + thread + "-" + i;
                parcels.set(key, "v" + i);
                answered.put(key, "v" + i);
                // Read-your-write through the table itself: the row committed before set answered.
                if (i % 20 == 0 && !("v" + i).equals(Fixtures.rows(pool, "parcels").get(key))) {
                    missingWhenAnswered.put(key, "v" + i);
                }
            });

            assertThat(missingWhenAnswered).as("rows not in the table when their set answered").isEmpty();
            assertThat(new TreeMap<>(Fixtures.rows(pool, "parcels"))).isEqualTo(new TreeMap<>(answered));
            double rows = registry.get(MapStoreMetrics.ENTRIES).tags("map", "parcels", "operation", "store").counter().count();
            long transactions = registry.get(MapStoreMetrics.OPERATIONS)
                    .tags("map", "parcels", "operation", "store", "outcome", "success").timer().count();
            assertThat(rows).isEqualTo(THREADS * PER_THREAD);
            assertThat(transactions).as("store transactions for %s rows from %d threads", rows, THREADS).isLessThan((long) (rows * 0.8));
        }
    }

    @Test
    void aRowTheDatabaseRefuses_failsOnlyItsOwnCall_whileTheOthersSharingItsTransactionLand() throws Exception {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH).table("parcels")
                .valueType(ValueType.TEXT).build();
        try (LocalCluster cluster = Fixtures.cluster(1, "parcels", settings, pool, new SimpleMeterRegistry(), config -> { })) {
            Fixtures.execute(pool, "ALTER TABLE parcels ADD CONSTRAINT parcels_not_refused CHECK (value <> 'refused')");
            IMap<String, String> parcels = cluster.newClient().getMap("parcels");
            Map<String, String> answered = new ConcurrentHashMap<>();
            Map<String, String> refused = new ConcurrentHashMap<>();
            runConcurrently((thread, i) -> {
                String key = "t" + thread + "-" + i;
                String value = i % 10 == 3 ? "refused" : "v" + i;
                try {
                    parcels.set(key, value);
                    answered.put(key, value);
                } catch (RuntimeException e) {
                    refused.put(key, String.valueOf(e.getMessage()));
                }
            });

            assertThat(answered.values()).as("sets of a refused value that answered").doesNotContain("refused");
            assertThat(refused).as("failed sets").hasSize(THREADS * PER_THREAD / 10)
                    .allSatisfy((key, message) -> assertThat(message).contains(key).contains("parcels_not_refused"));
            assertThat(new TreeMap<>(Fixtures.rows(pool, "parcels"))).isEqualTo(new TreeMap<>(answered));
            assertThat(parcels.get("t0-3")).as("a refused key is not in the grid either").isNull();
        }
    }

    private interface Call {
        void run(int thread, int i) throws Exception;
    }

    private static void runConcurrently(Call call) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = IntStream.range(0, THREADS).<Future<?>>mapToObj(t -> threads.submit(() -> {
                for (int i = 0; i < PER_THREAD; i++) {
                    call.run(t, i);
                }
                return null;
            })).toList();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
