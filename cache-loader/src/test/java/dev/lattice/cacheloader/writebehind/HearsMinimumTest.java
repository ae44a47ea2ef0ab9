package dev.lattice.cacheloader.writebehind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.NetworkSplit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Real members: whether a member may take over partitions in a table follows Hazelcast's state for
 * the map's split-brain protection (grid-server configures it to count members heard from within
 * 3 s), not the members it lists. A cut-off master lists the others until it removes them, one at
 * a time, and with one of two removed it took over the partitions of the removed one (fault suite,
 * partition with deletes, seed 415).
 */
class HearsMinimumTest {

    @Test
    void aMemberThatHearsNoHeartbeats_doesNotMeetTheMinimum_whileItStillListsTheOthers() {
        // Removal after 30 s of silence, so that the member still lists the others for the whole test.
        try (LocalCluster cluster = LocalCluster.builder().members(3).customize(config -> {
            config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
            config.setProperty("hazelcast.max.no.heartbeat.seconds", "30");
            config.addSplitBrainProtectionConfig(SplitBrainProtectionConfig
                    .newRecentlyActiveSplitBrainProtectionConfigBuilder("heard", 2, 3_000).enabled(true).build());
            config.getMapConfig("notes").setSplitBrainProtectionName("heard");
            config.getMapConfig("plain");
        }).start()) {
            HazelcastInstance deaf = cluster.member(2);
            HazelcastMember notes = HazelcastMember.of(deaf, "notes");
            HazelcastMember plain = HazelcastMember.of(deaf, "plain");
            await("the others heard").atMost(Duration.ofSeconds(15)).until(notes::hearsMinimum);

            // The other two stop sending heartbeats (their cluster executor is shut) but stay listed.
            for (int i = 0; i < 2; i++) {
                NetworkSplit.node(cluster.member(i)).getNodeEngine().getExecutionService().shutdownExecutor("hz:cluster");
            }

            await("the minimum no longer met").atMost(Duration.ofSeconds(15)).until(() -> !notes.hearsMinimum());
            assertThat(notes.clusterSize()).as("members it still lists").isEqualTo(3);
            assertThat(plain.hearsMinimum()).as("a map without split-brain protection").isTrue();
        }
    }
}
