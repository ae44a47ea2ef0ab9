package dev.lattice.cacheloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import dev.lattice.cacheloader.config.InitialLoad;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import dev.lattice.cacheloader.schema.TableSchema;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An eager map's initial load as one scan whose rows go straight into their partitions
 * ({@code EagerScan}, {@code ScannedRowsOperation}), on three real members and a real PostgreSQL.
 */
class EagerScanLoadTest extends DatabaseBackedTest {

    private static final int ROWS = 30_000;
    private static final int JOINING_ROWS = 200_000;
    private static final MapStoreSettings SETTINGS = MapStoreSettings.builder().mode(StoreMode.READ_THROUGH).table("catalog")
            .valueType(ValueType.TEXT).initialLoad(InitialLoad.EAGER).build();

    @Test
    void initialLoad_putsEveryRowOnItsOwnerAndItsBackup_fromOneScan() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TableSchema.migrate(pool, SETTINGS);
        seed("v");
        try (LocalCluster cluster = Fixtures.cluster(3, "catalog", SETTINGS, pool, registry, c -> { })) {
            IMap<String, String> catalog = cluster.newClient().getMap("catalog");

            assertThat(new HashMap<>(catalog)).isEqualTo(Fixtures.rows(pool, "catalog"));
            assertEachRowOnItsOwnerAndOneBackup(cluster, ROWS);
            assertThat(registry.get(MapStoreMetrics.BATCH_SIZE).tags("map", "catalog", "operation", "load").summary().max())
                    .as("the scan ran (it records its progress every 10,000 rows; Hazelcast's own load reads 1,000 keys a query)")
                    .isEqualTo(10_000);
        }
    }

    /**
     * A member joining while the rows go in: partitions migrate under the scan's operations, which
     * Hazelcast sends again to the new owner, and a partition that arrives there as loaded refuses
     * them, sending the whole load through Hazelcast's protocol. Either way every row must end up
     * once on its owner and once on its backup.
     */
    @Test
    void initialLoadWhileAMemberJoins_endsWithEveryRowOnItsOwnerAndItsBackup() throws Exception {
        TableSchema.migrate(pool, SETTINGS);
        Fixtures.execute(pool, "INSERT INTO catalog (id, value) SELECT 'c' || g, 'v' || g FROM generate_series(0, ?) g",
                JOINING_ROWS - 1);
        try (LocalCluster cluster = LocalCluster.builder().members(2).spareSlots(1).customize(config ->
                LatticeMapStores.configureMember(config).getMapConfig("catalog").setBackupCount(1)
                        .setMapStoreConfig(LatticeMapStores.mapStoreConfig("catalog", SETTINGS, pool, new SimpleMeterRegistry())))
                .start()) {
            CompletableFuture<Integer> load = CompletableFuture.supplyAsync(() -> cluster.member(0).getMap("catalog").size());
            cluster.startMember();

            assertThat(load.get(60, TimeUnit.SECONDS)).isEqualTo(JOINING_ROWS);
            cluster.awaitSafe(Duration.ofSeconds(60));
            IMap<String, String> catalog = cluster.newClient().getMap("catalog");
            assertThat(new HashMap<>(catalog)).isEqualTo(Fixtures.rows(pool, "catalog"));
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertEachRowOnItsOwnerAndOneBackup(cluster, JOINING_ROWS));
        }
    }

    @Test
    void reloadReplacingValues_takesTheTablesNewValuesOverThoseInMemory() {
        TableSchema.migrate(pool, SETTINGS);
        seed("v");
        try (LocalCluster cluster = Fixtures.cluster(3, "catalog", SETTINGS, pool, new SimpleMeterRegistry(), c -> { })) {
            IMap<String, String> catalog = cluster.newClient().getMap("catalog");
            assertThat(catalog.get("c42")).isEqualTo("v42");

            Fixtures.execute(pool, "UPDATE catalog SET value = 'new-' || value");
            Fixtures.execute(pool, "INSERT INTO catalog (id, value) VALUES ('added', 'new-added')");
            catalog.loadAll(true);

            assertThat(new HashMap<>(catalog)).as("every entry after loadAll(true)").hasSize(ROWS + 1)
                    .isEqualTo(Fixtures.rows(pool, "catalog"));
            assertThat(catalog.get("c42")).isEqualTo("new-v42");
        }
    }

    @Test
    void reloadKeepingValues_keepsWhatIsInMemoryAndAddsNewRows() {
        TableSchema.migrate(pool, SETTINGS);
        seed("v");
        try (LocalCluster cluster = Fixtures.cluster(3, "catalog", SETTINGS, pool, new SimpleMeterRegistry(), c -> { })) {
            IMap<String, String> catalog = cluster.newClient().getMap("catalog");
            assertThat(catalog.size()).isEqualTo(ROWS);

            Fixtures.execute(pool, "UPDATE catalog SET value = 'new-' || value");
            Fixtures.execute(pool, "INSERT INTO catalog (id, value) VALUES ('added', 'new-added')");
            catalog.loadAll(false);

            Map<String, String> expected = new HashMap<>();
            for (int i = 0; i < ROWS; i++) {
                expected.put("c" + i, "v" + i);
            }
            expected.put("added", "new-added");
            assertThat(new HashMap<>(catalog)).as("every entry after loadAll(false)").isEqualTo(expected);
        }
    }

    /** Summed over the members: {@code rows} entries owned and {@code rows} held as backups. */
    private static void assertEachRowOnItsOwnerAndOneBackup(LocalCluster cluster, long rows) {
        long owned = 0;
        long backups = 0;
        for (HazelcastInstance member : cluster.members()) {
            LocalMapStats stats = member.getMap("catalog").getLocalMapStats();
            owned += stats.getOwnedEntryCount();
            backups += stats.getBackupEntryCount();
        }
        assertThat(owned).as("entries on their owners").isEqualTo(rows);
        assertThat(backups).as("entries on their backups").isEqualTo(rows);
    }

    private void seed(String prefix) {
        Fixtures.execute(pool, "INSERT INTO catalog (id, value) SELECT 'c' || g, ? || g FROM generate_series(0, ?) g",
                prefix, ROWS - 1);
        assertThat(Fixtures.count(pool, "SELECT count(*) FROM catalog")).isEqualTo(ROWS);
    }
}
