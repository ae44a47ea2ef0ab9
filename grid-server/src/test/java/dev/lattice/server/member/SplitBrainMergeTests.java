package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.map.IMap;
import dev.lattice.testsupport.LocalCluster.MemberSlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two sides of a split, each a real member built from Lattice's own configuration, merge: the
 * newer value of a key must survive whichever side merges into the other. The frozen-master fault
 * run (issue 6, seed 52) ended with three one-member clusters merging into the member that had been
 * frozen; with Hazelcast's default put-if-absent policy that member's older values won over the
 * writes the other two had acknowledged while it was frozen.
 */
class SplitBrainMergeTests {

    private static final Duration MERGED_WITHIN = Duration.ofSeconds(60);

    private final String clusterName = "merge-" + UUID.randomUUID();
    private HazelcastInstance stale;
    private HazelcastInstance fresh;

    @AfterEach
    void stop() {
        for (HazelcastInstance member : new HazelcastInstance[] {fresh, stale}) {
            if (member != null) {
                member.getLifecycleService().terminate();
            }
        }
    }

    @Test
    void sideWithNewerValuesMergingIntoAStaleSide_keepsItsNewerValues_andTheStaleSideKeepsWhatItWroteLast() {
        // Two sides of one split: same cluster name, neither knows the other's address yet.
        stale = Hazelcast.newHazelcastInstance(ClusterResilienceTests.latticeMember(alone(clusterName)));
        fresh = Hazelcast.newHazelcastInstance(ClusterResilienceTests.latticeMember(alone(clusterName)));
        IMap<Integer, String> onStale = stale.getMap("accounts");
        IMap<Integer, String> onFresh = fresh.getMap("accounts");
        for (int key = 0; key < 100; key++) {
            onStale.set(key, "before-the-split-" + key);
        }
        afterTheClockMoves();
        for (int key = 0; key < 50; key++) {
            onFresh.set(key, "acknowledged-while-split-" + key);
        }
        onFresh.set(1_000, "only-on-the-merging-side");
        afterTheClockMoves();
        for (int key = 50; key < 100; key++) {
            // Written on the fresh side first, then again, later, on the stale side.
            onFresh.set(key, "older-" + key);
        }
        afterTheClockMoves();
        for (int key = 50; key < 100; key++) {
            onStale.set(key, "newest-" + key);
        }

        // What Hazelcast does when it heals a split: the merging side resets and sends its entries.
        Address target = ((HazelcastInstanceProxy) stale).getOriginal().node.getThisAddress();
        ((HazelcastInstanceProxy) fresh).getOriginal().node.getClusterService().merge(target);
        await().atMost(MERGED_WITHIN).until(() -> stale.getCluster().getMembers().size() == 2
                && fresh.getCluster().getMembers().size() == 2 && stale.getPartitionService().isClusterSafe()
                && onStale.containsKey(1_000));

        for (int key = 0; key < 50; key++) {
            assertThat(onStale.get(key)).as("key %d, written last on the merging side", key)
                    .isEqualTo("acknowledged-while-split-" + key);
        }
        for (int key = 50; key < 100; key++) {
            assertThat(onStale.get(key)).as("key %d, written last on the side merged into", key).isEqualTo("newest-" + key);
        }
        assertThat(onStale.get(1_000)).isEqualTo("only-on-the-merging-side");
    }

    /** A member alone on a free loopback port, its member list only itself: one side of a split. */
    private static MemberSlot alone(String clusterName) {
        int port = freePort();
        return new MemberSlot(clusterName, port, List.of("127.0.0.1:" + port));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Hazelcast keeps an entry's last-update time in whole seconds, and a tie goes to the merging
     * side: the next write must fall in a later second. (A cut-off or frozen side's values are older
     * than the other side's by at least the failure-detection time, 6 s by default.)
     */
    private static void afterTheClockMoves() {
        long second = System.currentTimeMillis() / 1_000;
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> System.currentTimeMillis() / 1_000 > second);
    }
}
