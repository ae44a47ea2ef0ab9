package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
 * A delete of a key the map does not hold in memory (a lazily loaded map: the row is only in the
 * table) must survive its owner's crash like any other acknowledged write.
 *
 * <p>Hazelcast queues such a delete on the owner only: its {@code delete} finds no entry, answers
 * "nothing removed" and sends no backup, and a backup that does get {@code remove}'s backup skips
 * the queue because it holds no entry either. The owner's crash before its write delay then lost
 * the delete, and the row came back (about a third of these deletes, the dead member's share, in
 * every run before the fix). The same path let a member cut off from the others acknowledge the
 * repeat of a delete it had already applied, without its backup (fault suite seed 426).
 */
class DeleteOfUnloadedKeyTest extends DatabaseBackedTest {

    private static final int KEYS = 300;

    @Test
    void ownerKilledBeforeItStoresDeletesOfRowsNotInMemory_theDeletesReachTheTable() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(5))
                .table("parcels").valueType(ValueType.TEXT).build();
        try (LocalCluster cluster = Fixtures.cluster(3, "parcels", settings, pool, new SimpleMeterRegistry(), config -> { })) {
            for (int i = 0; i < KEYS; i++) {
                Fixtures.execute(pool, "INSERT INTO parcels (id, value) VALUES (?, ?)", "p" + i, "row" + i);
            }
            IMap<String, String> viaClient = cluster.newClient().getMap("parcels");
            IMap<String, String> viaMember = cluster.member(0).getMap("parcels");
            Map<String, String> removedAnswers = new TreeMap<>();
            for (int i = 0; i < KEYS; i++) {
                String key = "p" + i;
                switch (i % 3) {
                    case 0 -> viaClient.delete(key);
                    case 1 -> viaMember.delete(key);
                    default -> {
                        String old = viaClient.remove(key);
                        if (!("row" + i).equals(old)) {
                            removedAnswers.put(key, old);
                        }
                    }
                }
            }
            assertThat(removedAnswers).as("remove answers the row it removes").isEmpty();
            assertThat(viaClient.size()).isZero();

            // Well within the 5 s write delay: the deletes are still queued.
            cluster.terminate(1);

            cluster.awaitSafe(Duration.ofSeconds(60));
            await().atMost(40, SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(new TreeMap<>(Fixtures.rows(pool, "parcels")))
                            .as("rows of acknowledged deletes, after the owner's crash").isEmpty());
            assertThat(viaClient.get("p1")).as("a deleted key reads as absent").isNull();
        }
    }

    @Test
    void memberWithHazelcastsOwnDeletes_refusesTheWriteBehindMap() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).table("parcels")
                .valueType(ValueType.TEXT).build();
        // The backup-copy property alone, as configureMember set it before it swapped the deletes.
        try (LocalCluster cluster = LocalCluster.builder().members(1).customize(config -> config
                .setProperty(LatticeMapStores.BACKUP_DROP_DELAY_PROPERTY, String.valueOf(LatticeMapStores.HAZELCAST_WORKER_DELAY_SECONDS))
                .getMapConfig("parcels")
                .setMapStoreConfig(LatticeMapStores.mapStoreConfig("parcels", settings, pool, new SimpleMeterRegistry())))
                .start()) {
            assertThatThrownBy(() -> cluster.member(0).getMap("parcels").set("k", "v"))
                    .hasStackTraceContaining("write-behind map 'parcels': this member creates Hazelcast's own deletes")
                    .hasStackTraceContaining("LatticeMapStores.configureMember(config)");
        }
    }
}
