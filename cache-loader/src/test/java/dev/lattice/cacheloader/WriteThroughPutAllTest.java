package dev.lattice.cacheloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A write-through {@code putAll} reaches the table a partition's entries at a time (issue 12: it
 * was stored one transaction per entry, 0.05-0.1x of a batched upsert), and still no entry is
 * acknowledged before its row committed, and one refused entry loses no other.
 */
class WriteThroughPutAllTest extends DatabaseBackedTest {

    private static final MapStoreSettings WRITE_THROUGH = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH)
            .table("parcels").valueType(ValueType.TEXT).build();

    @Test
    void putAllOfOnePartition_isStoredInOneTransaction() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LocalCluster cluster = Fixtures.cluster(2, "parcels", WRITE_THROUGH, pool, registry, config -> { })) {
            HazelcastInstance client = cluster.newClient();
            Map<String, String> batch = keysOfOnePartition(client, 50, i -> "v" + i);

            client.<String, String>getMap("parcels").putAll(batch);

            assertThat(new TreeMap<>(Fixtures.rows(pool, "parcels"))).isEqualTo(new TreeMap<>(batch));
            assertThat(storeTransactions(registry)).as("store transactions for a putAll of 50 entries of one partition")
                    .isEqualTo(1);
        }
    }

    @Test
    void putAllAcrossPartitions_fromClientAndMember_storesEveryEntry_andReadsBackFromGridAndTable() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LocalCluster cluster = Fixtures.cluster(2, "parcels", WRITE_THROUGH, pool, registry, config -> { })) {
            Map<String, String> fromClient = entries("c", 1_000);
            Map<String, String> fromMember = entries("m", 1_000);

            cluster.newClient().<String, String>getMap("parcels").putAll(fromClient);
            // An embedded member's putAll takes another path (an operation factory, not a client message).
            cluster.member(0).<String, String>getMap("parcels").putAll(fromMember);

            Map<String, String> expected = new TreeMap<>(fromClient);
            expected.putAll(fromMember);
            assertThat(new TreeMap<>(Fixtures.rows(pool, "parcels"))).isEqualTo(expected);
            IMap<String, String> grid = cluster.member(1).getMap("parcels");
            assertThat(new TreeMap<>(grid.getAll(expected.keySet()))).isEqualTo(expected);
            assertThat(grid.size()).as("entries in memory").isEqualTo(expected.size());
            assertThat(storeTransactions(registry)).as("store transactions for 2,000 entries").isLessThan(2 * 271);
        }
    }

    @Test
    void aRefusedEntry_failsThePutAllNamingIt_andGridAndTableAgreeOnEveryKey() {
        try (LocalCluster cluster = Fixtures.cluster(2, "parcels", WRITE_THROUGH, pool, new SimpleMeterRegistry(),
                config -> { })) {
            Fixtures.execute(pool, "ALTER TABLE parcels ADD CONSTRAINT parcels_not_refused CHECK (value <> 'refused')");
            HazelcastInstance client = cluster.newClient();
            IMap<String, String> parcels = client.getMap("parcels");
            Map<String, String> samePartition = keysOfOnePartition(client, 20, i -> "old" + i);
            parcels.putAll(samePartition);
            int refusedPartition = partitionOf(client, samePartition.keySet().iterator().next());
            Map<String, String> others = new LinkedHashMap<>(entries("other", 200));
            others.keySet().removeIf(key -> partitionOf(client, key) == refusedPartition);
            Map<String, String> batch = new LinkedHashMap<>(others);
            String refusedKey = samePartition.keySet().iterator().next();
            samePartition.keySet().forEach(key -> batch.put(key, key.equals(refusedKey) ? "refused" : "new-" + key));

            assertThatThrownBy(() -> parcels.putAll(batch)).hasMessageContaining(refusedKey)
                    .hasMessageContaining("parcels_not_refused");

            // The call fails as soon as one partition does; the other partitions' operations may still be running.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Fixtures.rows(pool, "parcels"))
                    .as("entries of other partitions").containsAllEntriesOf(others));
            assertThat(Fixtures.rows(pool, "parcels")).as("the refused entry keeps its stored value")
                    .containsEntry(refusedKey, samePartition.get(refusedKey));
            // Whatever the failed partition's other entries hold, the grid must read what the table holds.
            Map<String, String> fromGrid = parcels.getAll(batch.keySet());
            assertThat(new TreeMap<>(fromGrid)).isEqualTo(new TreeMap<>(Fixtures.rows(pool, "parcels")));
        }
    }

    @Test
    void aPutAllWaitingOnALockedTable_takesNoMoreConnectionsThanThePoolHas_andLandsWhole() throws Exception {
        try (LocalCluster cluster = Fixtures.cluster(1, "parcels", WRITE_THROUGH, pool, new SimpleMeterRegistry(),
                config -> { })) {
            IMap<String, String> parcels = cluster.newClient().getMap("parcels");
            Map<String, String> batch = entries("k", 2_000);
            CompletableFuture<Void> putAll;
            // Outside the store's pool (4 connections, 500 ms to get one): Hazelcast's 16 map-store
            // threads each wait on the table with a partition's entries, so without a bound on them
            // the others would time out waiting for a connection.
            try (Connection lock = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
                lock.setAutoCommit(false);
                try (Statement statement = lock.createStatement()) {
                    statement.execute("LOCK TABLE parcels IN EXCLUSIVE MODE");
                }
                putAll = parcels.putAllAsync(batch).toCompletableFuture();
                await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnTheLock(lock) >= 1);
                // Held well past the pool's 500 ms connection timeout: no partition may fail meanwhile.
                await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> !putAll.isDone());
                lock.rollback();
            }

            putAll.get(30, TimeUnit.SECONDS);
            assertThat(new TreeMap<>(Fixtures.rows(pool, "parcels"))).isEqualTo(new TreeMap<>(batch));
        }
    }

    /** Sessions of this database waiting for a lock (the store's transactions behind the test's). */
    private static long waitingOnTheLock(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long storeTransactions(SimpleMeterRegistry registry) {
        return registry.get(MapStoreMetrics.OPERATIONS).tags("map", "parcels", "operation", "store", "outcome", "success")
                .timer().count();
    }

    private static Map<String, String> entries(String prefix, int count) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            entries.put(prefix + i, "v" + i);
        }
        return entries;
    }

    private static int partitionOf(HazelcastInstance instance, String key) {
        return instance.getPartitionService().getPartition(key).getPartitionId();
    }

    /** {@code count} keys that all fall into one partition, with their values. */
    private static Map<String, String> keysOfOnePartition(HazelcastInstance instance, int count, Function<Integer, String> value) {
        int partition = partitionOf(instance, "anchor");
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; keys.size() < count; i++) {
            String key = "p" + i;
            if (partitionOf(instance, key) == partition) {
                keys.put(key, value.apply(keys.size()));
            }
        }
        return keys;
    }
}
