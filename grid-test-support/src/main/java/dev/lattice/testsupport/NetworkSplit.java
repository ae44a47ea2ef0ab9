package dev.lattice.testsupport;

import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A split of real members in one JVM, as after missed heartbeats: each side removes the other and
 * both keep the cluster's id, so Hazelcast's split-brain handling later merges them. Then the merge
 * itself, in a chosen direction: what Hazelcast does to the side it merges (reset and join again,
 * then send its entries through the merge policy).
 */
public final class NetworkSplit {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    private NetworkSplit() {
    }

    /**
     * Every member of each side suspects every member of the other, closing their connections. The
     * side without the master goes first, so that its members agree on a new master among themselves
     * before the master's member list update would tell them about each other's removal; within it,
     * the member that will claim mastership (the oldest, first in {@code other}) goes last, or its
     * claim reaches members that still see the old master and they refuse it; and the master's side
     * suspects the other only once that claim is done. Returns once each side
     * sees only itself and the bigger side has every partition backed up.
     *
     * @param other the other side's members, oldest first (the order they joined in)
     */
    public static void split(List<HazelcastInstance> withMaster, List<HazelcastInstance> other) {
        List<HazelcastInstance> youngestFirst = new ArrayList<>(other);
        Collections.reverse(youngestFirst);
        // The claim is made in the background. Until it is done, the master's next member list (once
        // its side suspects the claimant) would still reach the others of this side, and they would
        // then refuse the claim of a member no longer on it: each ended up alone. And a heartbeat from
        // a member still listed lifts the suspicion (the connection is reopened): suspected again
        // until this side has its own master.
        await("the side without the master under its own master").atMost(WITHIN).until(() -> {
            for (HazelcastInstance b : youngestFirst) {
                withMaster.forEach(a -> suspect(b, a));
            }
            return sizes(other, -1);
        }, sizes -> sizes.stream().allMatch(size -> size == other.size()));
        for (HazelcastInstance a : withMaster) {
            other.forEach(b -> suspect(a, b));
        }
        List<HazelcastInstance> bigger = withMaster.size() >= other.size() ? withMaster : other;
        String split = state(withMaster, withMaster.size(), other, other.size(), true);
        // On a timeout Awaitility names the last state seen: the member counts each member sees.
        await("the sides of the split").atMost(WITHIN)
                .until(() -> state(withMaster, -1, other, -1, bigger.get(0).getPartitionService().isClusterSafe()), split::equals);
    }

    /** The member count each member of each side sees ({@code -1}), or the given ones, and whether the bigger side is safe. */
    private static String state(List<HazelcastInstance> one, int oneSize, List<HazelcastInstance> other, int otherSize, boolean safe) {
        return sizes(one, oneSize) + " | " + sizes(other, otherSize) + ", bigger side safe: " + safe;
    }

    private static List<Integer> sizes(List<HazelcastInstance> side, int size) {
        return side.stream().map(m -> size >= 0 ? size : m.getCluster().getMembers().size()).toList();
    }

    /**
     * Merges each of {@code merging} into {@code target}'s cluster, one at a time, and returns once
     * each has finished its merge, every member sees {@code expectedSize} members and no partition
     * lacks its backups.
     */
    public static void merge(List<HazelcastInstance> merging, HazelcastInstance target, int expectedSize) {
        // A member sees the merged cluster before it has sent its entries; MERGED comes after, once
        // every merge operation was answered and the members' own MERGED listeners have run.
        AtomicInteger merged = new AtomicInteger();
        List<UUID> listeners = new ArrayList<>();
        for (HazelcastInstance member : merging) {
            listeners.add(member.getLifecycleService().addLifecycleListener(event -> {
                if (event.getState() == LifecycleState.MERGED) {
                    merged.incrementAndGet();
                }
            }));
        }
        for (HazelcastInstance member : merging) {
            node(member).getClusterService().merge(node(target).getThisAddress());
        }
        await("the merged cluster").atMost(WITHIN).until(() ->
                merged.get() == merging.size()
                        && target.getCluster().getMembers().size() == expectedSize
                        && merging.stream().allMatch(m -> m.getCluster().getMembers().size() == expectedSize)
                        && target.getPartitionService().isClusterSafe());
        for (int i = 0; i < merging.size(); i++) {
            merging.get(i).getLifecycleService().removeLifecycleListener(listeners.get(i));
        }
    }

    /** {@code by} suspects {@code suspected} as it sees it (a member's own local-member object can not be suspected). */
    private static void suspect(HazelcastInstance by, HazelcastInstance suspected) {
        Member seen = node(by).getClusterService().getMember(suspected.getCluster().getLocalMember().getAddress());
        if (seen != null) {
            node(by).getClusterService().suspectMember(seen, "test: network split", true);
        }
    }

    /** The member's node, for the cluster service's split and merge calls. */
    public static Node node(HazelcastInstance member) {
        return ((HazelcastInstanceProxy) member).getOriginal().node;
    }
}
