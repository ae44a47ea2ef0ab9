package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import dev.lattice.cacheloader.config.InitialLoad;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.schema.TableSchema;
import dev.lattice.testsupport.LocalCluster;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A map loaded while its member sees fewer members than split-brain protection requires.
 *
 * <p>Hazelcast ends a key load by telling every partition it is done, with an operation that split-brain
 * protection counts as a write. Below the minimum that operation is refused and the map stays "loading"
 * for good, even after the other members join: the first node of a cluster that requires two members
 * never finished opening its eager map. This test hung that way before the loader waited for the
 * minimum before reading keys.
 */
class QuorumLoadTest extends DatabaseBackedTest {

    private static final int ROWS = 500;
    private static final int MINIMUM = 2;

    @Test
    void eagerMapOpenedBeforeTheMinimumClusterSize_loadsOnceTheSecondMemberJoins() {
        assertLoadsOnceQuorate(InitialLoad.EAGER, ROWS, ROWS);
    }

    @Test
    void lazyMapTouchedBeforeTheMinimumClusterSize_servesReadsOnceTheSecondMemberJoins() {
        // At most the key read is in the grid: a lazy map reads each key on its first access. CI once
        // counted none after the read returned v7, while partitions were moving to the joining member;
        // why was not traced (an experiment that held 16 readers on a locked table while two members
        // joined kept every value read). A read-through copy is only a cache of the row, so
        // this test asserts the lazy map loaded no more than the key read, and that it reads back.
        assertLoadsOnceQuorate(InitialLoad.LAZY, 0, 1);
    }

    private void assertLoadsOnceQuorate(InitialLoad initialLoad, int minimumSize, int maximumSize) {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH).table("items")
                .valueType(ValueType.TEXT).initialLoad(initialLoad).build();
        TableSchema.migrate(pool, settings);
        for (int i = 0; i < ROWS; i++) {
            Fixtures.execute(pool, "INSERT INTO items (id, value) VALUES (?, ?)", "k" + i, "v" + i);
        }
        try (LocalCluster cluster = LocalCluster.builder().members(1)
                .customize(config -> protectedMap(config, settings)).start()) {
            HazelcastInstance first = cluster.member(0);
            // What a node does as soon as it runs, and what a client reconnecting to it does: open the map.
            CompletableFuture<Object> opened = CompletableFuture.supplyAsync(() -> first.getMap("items").get("k7"));

            cluster.startMember();

            await().atMost(60, SECONDS).until(opened::isDone);
            assertThat(opened.join()).isEqualTo("v7");
            assertThat(first.getMap("items").size()).as("entries in the grid after the load").isBetween(minimumSize, maximumSize);
            assertThat(first.getMap("items").get("k7")).as("k7 read again").isEqualTo("v7");
            first.getMap("items").set("k7", "w7");
            assertThat(Fixtures.rows(pool, "items")).containsEntry("k7", "w7");
        }
    }

    /** As a node configures a backed map: split-brain protection on writes, the store told the same minimum. */
    private void protectedMap(Config config, MapStoreSettings settings) {
        config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig("majority", true, MINIMUM)
                .setProtectOn(SplitBrainProtectionOn.WRITE));
        StoreEnvironment environment = StoreEnvironment.builder(pool).minimumClusterSize(MINIMUM).build();
        LatticeMapStores.configureMember(config).getMapConfig("items").setBackupCount(1).setSplitBrainProtectionName("majority")
                .setMapStoreConfig(LatticeMapStores.mapStoreConfig("items", settings, environment));
    }
}
