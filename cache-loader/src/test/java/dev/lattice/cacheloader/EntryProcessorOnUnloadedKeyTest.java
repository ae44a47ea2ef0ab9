package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Entry processors that change or remove entries the map does not hold in memory (a lazily loaded
 * map): the owner reads the row and runs the processor, its backup runs the backup processor on an
 * entry it does not have. The owner's crash before its write delay must lose nothing. Unlike
 * {@code delete} and {@code remove} ({@link DeleteOfUnloadedKeyTest}), this held on Hazelcast's own
 * operations when it was written; it pins that.
 */
class EntryProcessorOnUnloadedKeyTest extends DatabaseBackedTest {

    private static final int KEYS = 300;

    @Test
    void ownerKilledBeforeItStoresProcessorWritesOfRowsNotInMemory_theWritesReachTheTable() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(5))
                .table("tallies").valueType(ValueType.TEXT).build();
        try (LocalCluster cluster = Fixtures.cluster(3, "tallies", settings, pool, new SimpleMeterRegistry(), config -> { })) {
            Map<String, String> expected = new TreeMap<>();
            for (int i = 0; i < KEYS; i++) {
                Fixtures.execute(pool, "INSERT INTO tallies (id, value) VALUES (?, ?)", "t" + i, "row" + i);
            }
            IMap<String, String> tallies = cluster.newClient().getMap("tallies");
            for (int i = 0; i < KEYS; i++) {
                String key = "t" + i;
                if (i % 2 == 0) {
                    tallies.executeOnKey(key, (EntryProcessor<String, String, Object>) entry -> {
                        entry.setValue(entry.getValue() + "+");
                        return null;
                    });
                    expected.put(key, "row" + i + "+");
                } else {
                    tallies.executeOnKey(key, (EntryProcessor<String, String, Object>) entry -> {
                        entry.setValue(null);
                        return null;
                    });
                }
            }

            cluster.terminate(1);

            cluster.awaitSafe(Duration.ofSeconds(60));
            await().atMost(40, SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(new TreeMap<>(Fixtures.rows(pool, "tallies")))
                            .as("rows after processors changed or removed them, and the owner's crash").isEqualTo(expected));
        }
    }
}
