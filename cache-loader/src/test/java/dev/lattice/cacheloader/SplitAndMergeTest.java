package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.NetworkSplit;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * A real split of three members (each side removes the other, as after missed heartbeats, and both
 * keep the cluster's id): the two-member side, which has the minimum cluster size, takes writes and
 * claims the partitions it took over from its own partition table; then its members merge back into
 * the lone member. Hazelcast merges the smaller side into the bigger, but three one-member clusters
 * (the frozen-master fault run of issue 6, seed 52) merge by a hash, and there the other two merged
 * into the member that had been frozen. The lone member's partition versions went on from the table
 * it had before the split, so they may be lower than the claims the other side recorded: after the
 * merge the cluster must still write every partition. (What the merge does to the values the other
 * side acknowledged during the split is Hazelcast's merge policy, see docs/reliability.md.)
 */
class SplitAndMergeTest extends DatabaseBackedTest {

    @Test
    @Disabled("issue 6, open: fails on the fence as it is (32 of 200 keys never written); a fix that let a member"
            + " with a majority take over claims of members it does not see was reverted after a frozen-member"
            + " fault run with it (seed 62) ended with 186 stale keys of unexplained cause")
    void afterTheMajoritySideOfASplitMergesIntoTheMinority_everyPartitionIsWrittenAgain() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(1))
                .table("notes").valueType(ValueType.TEXT).build();
        StoreEnvironment environment = StoreEnvironment.builder(pool).minimumClusterSize(2).build();
        try (LocalCluster cluster = LocalCluster.builder().members(3).customize(config -> {
            LatticeMapStores.configureMember(config).getMapConfig("notes").setBackupCount(1)
                    .setMapStoreConfig(LatticeMapStores.mapStoreConfig("notes", settings, environment));
        }).start()) {
            HazelcastInstance lone = cluster.member(0);
            HazelcastInstance b = cluster.member(1);
            HazelcastInstance c = cluster.member(2);
            Map<String, String> expected = new HashMap<>();
            write(lone.getMap("notes"), expected, 0, 200, "before");
            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(Fixtures.rows(pool, "notes")).isEqualTo(expected));

            NetworkSplit.split(List.of(lone), List.of(b, c));
            write(b.getMap("notes"), expected, 0, 100, "during");
            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(Fixtures.rows(pool, "notes")).isEqualTo(expected));

            NetworkSplit.merge(List.of(b, c), lone, 3);
            assertThat(lone.getCluster().getMembers()).hasSize(3);

            write(lone.getMap("notes"), expected, 0, 200, "after");
            await().atMost(60, SECONDS).untilAsserted(() -> assertThat(Fixtures.rows(pool, "notes")).isEqualTo(expected));
        }
    }

    private static void write(IMap<String, String> notes, Map<String, String> expected, int from, int to, String value) {
        for (int i = from; i < to; i++) {
            notes.set("note-" + i, value + "-" + i);
            expected.put("note-" + i, value + "-" + i);
        }
    }
}
