package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.NetworkSplit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Real members built from Lattice's configuration. A member counts toward the minimum cluster size
 * only the members it hears from, not every member it still lists: in the fault suite's network
 * partition (seed 342) the cut-off member was the master, removed one of the other two a second
 * before the other, and in between saw two members, enough to accept writes, on partitions whose
 * backup had just gone. One such write was acknowledged with no copy anywhere else and was gone
 * after the merge (a later {@code put} of the key answered nothing).
 */
class SplitBrainProtectionTests {

    @Test
    void aMemberThatHearsNoHeartbeats_refusesWrites_whileItStillListsTheOthers() {
        // Removal after 30 s of silence, so that the member still lists the others for the whole test.
        try (LocalCluster cluster = LocalCluster.builder().members(3).configFactory(slot -> ClusterResilienceTests.latticeMember(slot,
                properties -> {
                    properties.getSplitBrainProtection().setMinimumClusterSize(2);
                    properties.getFailureDetection().setMaxNoHeartbeat(Duration.ofSeconds(30));
                    properties.getSplitBrainProtection().setHeartbeatTolerance(Duration.ofSeconds(3));
                })).start()) {
            HazelcastInstance deaf = cluster.member(2);
            IMap<String, String> notes = deaf.getMap("notes");
            // The first write arranges the partitions; it waits for the members' first heartbeats too.
            await("a first write").atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> notes.set("first", "x"));
            String key = ownedBy(deaf);
            notes.set(key, "before");

            // The other two stop sending heartbeats (their cluster executor is shut) but still answer
            // operations, backups included: only the way members are counted can refuse the write.
            for (int i = 0; i < 2; i++) {
                NetworkSplit.node(cluster.member(i)).getNodeEngine().getExecutionService().shutdownExecutor("hz:cluster");
            }

            await("a write refused by the member that hears no one").atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThatThrownBy(() -> notes.set(key, "during"))
                            .isInstanceOf(SplitBrainProtectionException.class));
            assertThat(deaf.getCluster().getMembers()).as("members the refusing member still lists").hasSize(3);
        }
    }

    /** A key whose partition {@code member} owns. */
    private static String ownedBy(HazelcastInstance member) {
        for (int i = 0; i < 10_000; i++) {
            String key = "note-" + i;
            Member owner = member.getPartitionService().getPartition(key).getOwner();
            if (owner != null && owner.localMember()) {
                return key;
            }
        }
        throw new IllegalStateException(member + " owns no partition of 10,000 keys");
    }
}
