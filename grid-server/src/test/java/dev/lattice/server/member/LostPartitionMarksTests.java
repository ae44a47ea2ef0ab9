package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.instance.impl.LifecycleServiceImpl;
import com.hazelcast.internal.partition.PartitionLostEventImpl;
import com.hazelcast.map.IMap;
import dev.lattice.server.merge.LostPartitionMark;
import dev.lattice.server.merge.LostPartitions;
import dev.lattice.testsupport.LocalCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which partition losses a member marks ({@link LostPartitions}). Hazelcast hands a loss to the
 * listeners from an executor, so the losses a cut-off side found could reach its member only once
 * it had begun merging into the other side; marked there, partitions that side never lost took the
 * merging entries back, keys deleted during the split included ({@code SplitMergeTests}, once in CI).
 */
class LostPartitionMarksTests {

    @Test
    void aLossReportedWhileTheMemberMerges_isNotMarked_whileOneBeforeOrAfterIs() {
        try (LocalCluster cluster = LocalCluster.builder().members(2).configFactory(ClusterResilienceTests::latticeMember)
                .start()) {
            HazelcastInstance member = cluster.member(1);
            LostPartitions listener = member.getConfig().getListenerConfigs().stream()
                    .map(config -> config.getImplementation()).filter(LostPartitions.class::isInstance)
                    .map(LostPartitions.class::cast).findFirst().orElseThrow();
            Address master = member.getCluster().getMembers().iterator().next().getAddress();

            listener.partitionLost(new PartitionLostEventImpl(8, 6, master));
            assertMarkedExactly(member, Set.of(8));

            LifecycleServiceImpl lifecycle = (LifecycleServiceImpl) member.getLifecycleService();
            lifecycle.fireLifecycleEvent(LifecycleState.MERGING);
            listener.partitionLost(new PartitionLostEventImpl(9, 6, master));
            lifecycle.fireLifecycleEvent(LifecycleState.MERGE_FAILED);
            listener.partitionLost(new PartitionLostEventImpl(10, 6, master));
            assertMarkedExactly(member, Set.of(8, 10));
        }
    }

    /**
     * A mark sent just before its member merged into the other side is sent again by Hazelcast after
     * the rejoin, under the member's old identity; it must not land in the cluster it joined.
     */
    @Test
    void aMarkFromAMemberThatIsNotInTheCluster_isNotWritten_onTheOwnerOrItsBackup() {
        try (LocalCluster cluster = LocalCluster.builder().members(2).configFactory(ClusterResilienceTests::latticeMember)
                .start()) {
            HazelcastInstance sender = cluster.member(1);
            HazelcastInstance owner = cluster.member(0);
            // Keys owned by the other member: the mark travels serialized, as a real one does.
            List<String> keys = IntStream.range(0, 1000).mapToObj(i -> "mark-" + i)
                    .filter(key -> owner.getPartitionService().getPartition(key).getOwner().localMember()).limit(2).toList();
            IMap<String, Long> marks = sender.getMap(LostPartitions.MAP);
            UUID gone = UUID.randomUUID();
            UUID present = sender.getCluster().getLocalMember().getUuid();

            assertThat(marks.executeOnKey(keys.get(0), new LostPartitionMark(gone, 1L))).isFalse();
            assertThat(marks.executeOnKey(keys.get(1), new LostPartitionMark(present, 2L))).isTrue();

            assertThat(marks.keySet()).containsExactly(keys.get(1));
            assertThat(marks.get(keys.get(1))).isEqualTo(2L);
            cluster.terminate(0);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(sender.<String, Long>getMap(LostPartitions.MAP).entrySet()).as("marks on the promoted backup")
                            .containsExactly(Map.entry(keys.get(1), 2L)));
        }
    }

    /** The marked partitions become {@code expected} and stay so: a wrong mark is written asynchronously too. */
    private static void assertMarkedExactly(HazelcastInstance member, Set<Integer> expected) {
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> marked(member), expected::equals);
        assertThat(marked(member)).isEqualTo(expected);
    }

    private static Set<Integer> marked(HazelcastInstance member) {
        return member.<String, Long>getMap(LostPartitions.MAP).keySet().stream()
                .map(key -> member.getPartitionService().getPartition(key).getPartitionId()).collect(Collectors.toSet());
    }
}
