package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.map.IMap;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A member that merges back into the cluster after a split (Hazelcast resets it and it joins
 * again) has its map store initialised a second time. It must still drain its write-behind queues
 * with exactly one drainer: two drainers on one member wrote the same key in two transactions at
 * once, and the older value could commit last (issue 6, found by the fault suite's write audit).
 */
class MergeBackTest extends DatabaseBackedTest {

    private static final String DRAINER = "lattice-write-behind-notes";
    private static final String SWEEPER = "lattice-backup-sweep-notes";

    @Test
    void memberMergingBack_keepsOneDrainerAndOneSweeper_andEveryWriteLandsWithItsLastValue() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(1))
                .table("notes").valueType(ValueType.TEXT).build();
        try (LocalCluster cluster = Fixtures.cluster(2, "notes", settings, pool, new SimpleMeterRegistry(), c -> { })) {
            IMap<String, String> notes = cluster.newClient().getMap("notes");
            Map<String, String> expected = new HashMap<>();
            write(notes, expected, "before");
            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(Fixtures.rows(pool, "notes")).isEqualTo(expected));
            assertThat(threads(DRAINER)).as("one drainer per member (both members run in this JVM)").isEqualTo(2);

            // What a split-brain merge does to the smaller side: reset the member and join the other side again.
            HazelcastInstance merging = cluster.member(1);
            ((HazelcastInstanceProxy) merging).getOriginal().node.getClusterService()
                    .merge(((HazelcastInstanceProxy) cluster.member(0)).getOriginal().node.getThisAddress());
            await().atMost(60, SECONDS).until(() -> cluster.member(0).getCluster().getMembers().size() == 2
                    && merging.getCluster().getMembers().size() == 2
                    && merging.getPartitionService().isClusterSafe());

            write(notes, expected, "after");
            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(Fixtures.rows(pool, "notes")).isEqualTo(expected));
            assertThat(threads(DRAINER)).as("drainers after the merge").isEqualTo(2);
            assertThat(threads(SWEEPER)).as("backup sweepers after the merge").isEqualTo(2);
        }
    }

    private static void write(IMap<String, String> notes, Map<String, String> expected, String value) {
        for (int i = 0; i < 500; i++) {
            notes.set("note-" + i, value + "-" + i);
            expected.put("note-" + i, value + "-" + i);
        }
    }

    private static long threads(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().equals(name)).count();
    }
}
