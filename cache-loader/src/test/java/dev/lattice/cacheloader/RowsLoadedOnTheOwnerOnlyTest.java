package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import com.hazelcast.transaction.TransactionalMap;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Writes of rows the map did not hold in memory on every replica, beyond the deletes of
 * {@link DeleteOfUnloadedKeyTest}: never read ({@code remove(key, value)} and a transaction read the
 * row on the owner only), or read through a {@code get}, which loads the row on the owner only, so
 * a backup that replays the operation on its own entries misses it. A {@code clear} must also
 * delete the rows at all. Each must survive the crash of the owner
 * before its write delay, like any acknowledged write.
 */
class RowsLoadedOnTheOwnerOnlyTest extends DatabaseBackedTest {

    private static final int KEYS = 300;

    @Test
    void conditionalRemovesOfRowsNotInMemory_reachTheTableAfterTheOwnersCrash() {
        deleteThenCrashOwner((map, i) -> assertThat(map.remove("p" + i, "row" + i)).as("remove(p%d, row%d)", i, i).isTrue());
    }

    @Test
    void transactionalDeletesOfRowsNotInMemory_reachTheTableAfterTheOwnersCrash() {
        deleteThenCrashOwner((map, i) -> { }, (map, i) -> map.delete("p" + i));
    }

    @Test
    void transactionalDeletesOfKeysEveryReplicaHolds_reachTheTableAfterTheOwnersCrash() {
        deleteThenCrashOwner((map, i) -> map.set("p" + i, "set" + i), (map, i) -> map.delete("p" + i));
    }

    @Test
    void deletesOfRowsReadOnlyThroughGet_reachTheTableAfterTheOwnersCrash() {
        deleteThenCrashOwner((map, i) -> {
            assertThat(map.get("p" + i)).isEqualTo("row" + i);
            map.delete("p" + i);
        });
    }

    @Test
    void removeAllOfRowsReadOnlyThroughGet_reachTheTableAfterTheOwnersCrash() {
        deleteThenCrashOwner((map, i) -> {
            assertThat(map.get("p" + i)).isEqualTo("row" + i);
            if (i == KEYS - 1) {
                map.removeAll(Predicates.alwaysTrue());
            }
        });
    }

    @Test
    void executeOnEntriesOverRowsReadOnlyThroughGet_itsUpdatesReachTheTableAfterTheOwnersCrash() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(5))
                .table("parcels").valueType(ValueType.TEXT).build();
        try (LocalCluster cluster = Fixtures.cluster(3, "parcels", settings, pool, new SimpleMeterRegistry(), config -> { })) {
            Map<String, String> expected = new TreeMap<>();
            for (int i = 0; i < KEYS; i++) {
                Fixtures.execute(pool, "INSERT INTO parcels (id, value) VALUES (?, ?)", "p" + i, "row" + i);
                expected.put("p" + i, "updated-row" + i);
            }
            IMap<String, String> parcels = cluster.newClient().getMap("parcels");
            for (int i = 0; i < KEYS; i++) {
                assertThat(parcels.get("p" + i)).isEqualTo("row" + i);
            }
            parcels.executeOnEntries(new Prefix("updated-"));

            cluster.terminate(1);

            cluster.awaitSafe(Duration.ofSeconds(60));
            await().atMost(40, SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(new TreeMap<>(Fixtures.rows(pool, "parcels"))).as("rows after the owner's crash").isEqualTo(expected));
        }
    }

    /** Prefixes every value; runs on members, so it travels serialized. */
    private record Prefix(String prefix) implements EntryProcessor<String, String, Void> {
        @Override
        public Void process(Map.Entry<String, String> entry) {
            entry.setValue(prefix + entry.getValue());
            return null;
        }
    }

    @Test
    void clearOfRowsReadOnlyThroughGet_reachesTheTableAfterTheOwnersCrash() {
        deleteThenCrashOwner((map, i) -> {
            assertThat(map.get("p" + i)).isEqualTo("row" + i);
            if (i == KEYS - 1) {
                map.clear();
            }
        });
    }

    /**
     * Hazelcast's clear drops the write-behind queues: a delete still queued was lost with them, and
     * (with Lattice's store ignoring writes from outside its drainer) the keys in memory were not
     * deleted either. Rows the grid never read are not the grid's to clear: they stay.
     */
    @Test
    void clear_deletesTheRowsOfKeysInMemoryOrQueued_beforeItAnswers_andNothingComesBack() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(3))
                .table("parcels").valueType(ValueType.TEXT).build();
        try (LocalCluster cluster = Fixtures.cluster(3, "parcels", settings, pool, new SimpleMeterRegistry(), config -> { })) {
            Map<String, String> neverRead = new TreeMap<>();
            for (int i = 0; i < KEYS; i++) {
                Fixtures.execute(pool, "INSERT INTO parcels (id, value) VALUES (?, ?)", "p" + i, "row" + i);
                if (i >= 200) {
                    neverRead.put("p" + i, "row" + i);
                }
            }
            IMap<String, String> parcels = cluster.newClient().getMap("parcels");
            for (int i = 0; i < 100; i++) {
                parcels.delete("p" + i);
                assertThat(parcels.get("p" + (100 + i))).isEqualTo("row" + (100 + i));
                parcels.set("n" + i, "new" + i);
            }

            parcels.clear();

            assertThat(new TreeMap<>(Fixtures.rows(pool, "parcels"))).as("the table when clear answers").isEqualTo(neverRead);
            await("the table past the write delay").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                    .until(() -> new TreeMap<>(Fixtures.rows(pool, "parcels")), neverRead::equals);
            assertThat(parcels.get("p0")).as("a key deleted before the clear").isNull();
            assertThat(parcels.get("n0")).as("a key written before the clear").isNull();
        }
    }

    private void deleteThenCrashOwner(BiConsumer<IMap<String, String>, Integer> delete) {
        deleteThenCrashOwner(delete, null);
    }

    private void deleteThenCrashOwner(BiConsumer<IMap<String, String>, Integer> delete,
            BiConsumer<TransactionalMap<String, String>, Integer> inTransaction) {
        OwnerCrash.writeThenCrashOwner(pool, KEYS, delete, inTransaction, Map.of());
    }
}
