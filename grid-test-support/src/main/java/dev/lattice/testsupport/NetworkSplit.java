package dev.lattice.testsupport;

import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

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
        awaitSettled(withMaster.get(0));
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
     * each has finished its merge, every member sees {@code expectedSize} members and the cluster is
     * {@linkplain #settled settled}.
     *
     * <p>Each member's merge waits for the cluster to settle before the next one starts. Hazelcast
     * merges the members of a cut-off side at once, but a join while the master is still moving
     * partitions to the member before it is Hazelcast's migration logic under stress, not the
     * merge this class stands in for: twice in full builds (never alone) a member ended up holding a
     * partition at the master's version with other replicas, refused every later partition table
     * ("Partition updates are diverged!") and the cluster never became safe again.
     */
    public static void merge(List<HazelcastInstance> merging, HazelcastInstance target, int expectedSize) {
        for (HazelcastInstance member : merging) {
            // A member sees the merged cluster before it has sent its entries; MERGED comes after, once
            // every merge operation was answered and the member's own MERGED listeners have run.
            AtomicBoolean merged = new AtomicBoolean();
            UUID listener = member.getLifecycleService().addLifecycleListener(event -> {
                if (event.getState() == LifecycleState.MERGED) {
                    merged.set(true);
                }
            });
            try {
                node(member).getClusterService().merge(node(target).getThisAddress());
                await("the merge of " + member.getName()).atMost(WITHIN).until(merged::get);
            } finally {
                member.getLifecycleService().removeLifecycleListener(listener);
            }
            awaitSettled(target);
        }
        await("the merged cluster").atMost(WITHIN).until(() -> sizes(merging, -1) + ", target sees "
                + target.getCluster().getMembers().size(), seen -> seen.equals(sizes(merging, expectedSize) + ", target sees " + expectedSize));
    }

    /**
     * Waits until the cluster of {@code master} is {@linkplain #settled settled}. A split that
     * starts while a member is a partition table behind leaves that member's side building on a
     * table the other side never had.
     */
    public static void awaitSettled(HazelcastInstance master) {
        await("a settled cluster (partition stamps of the master and the others)").atMost(WITHIN)
                .until(() -> settled(master), state -> state.startsWith("settled"));
    }

    /**
     * "settled" when every member the master lists holds the master's partition table (the same
     * partition state stamp) and no partition is migrating or lacks a backup; otherwise each
     * member's stamp, for Awaitility's timeout message.
     */
    private static String settled(HazelcastInstance master) {
        Set<UUID> listed = new HashSet<>();
        master.getCluster().getMembers().forEach(m -> listed.add(m.getUuid()));
        List<Long> stamps = new ArrayList<>();
        for (HazelcastInstance member : Hazelcast.getAllHazelcastInstances()) {
            if (member.getLifecycleService().isRunning() && listed.contains(member.getCluster().getLocalMember().getUuid())) {
                stamps.add(node(member).getPartitionService().getPartitionStateStamp());
            }
        }
        long stamp = node(master).getPartitionService().getPartitionStateStamp();
        boolean same = stamps.size() == listed.size() && stamps.stream().allMatch(s -> s == stamp);
        return (same && master.getPartitionService().isClusterSafe() ? "settled: " : "not settled: ") + stamp + " " + stamps;
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
