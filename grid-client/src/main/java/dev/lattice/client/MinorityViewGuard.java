package dev.lattice.client;

import com.hazelcast.client.impl.clientside.HazelcastClientInstanceImpl;
import com.hazelcast.client.impl.clientside.HazelcastClientProxy;
import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the client off a member that is cut off from the majority. A client learns the member list
 * and the partition table from one member, the first it connected to. When a network partition
 * leaves that member on the smaller side, its view shrinks to that side, the client closes its
 * connections to everyone else, and every write goes to a member that refuses it (split-brain
 * protection) until the sides merge: 43-44 s in 2 of 9 runs of the fault suite's 2|1 partition,
 * in both of which the client had connected to the cut-off node first.
 *
 * <p>Grid nodes publish their minimum cluster size as the member attribute
 * {@value #MINIMUM_CLUSTER_SIZE}. When the view shrinks below it, the guard closes the client's
 * connections and forgets its member list, so it reconnects through its configured addresses, in
 * random order, and takes the view of the member that answers first. A second later it looks again
 * (landing on the same member again may bring no membership event). After {@value #TRIES} tries in
 * a row it waits for the view to change: a client that reaches only the smaller side keeps reading
 * there.
 */
final class MinorityViewGuard implements InitialMembershipListener {

    /** The member attribute carrying the grid's minimum cluster size (absent: no minimum). */
    static final String MINIMUM_CLUSTER_SIZE = "lattice.minimum-cluster-size";

    static final int TRIES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(MinorityViewGuard.class);

    private final HazelcastInstance client;
    private final AtomicInteger tries = new AtomicInteger();
    private final AtomicBoolean reconnecting = new AtomicBoolean();
    private final AtomicInteger reconnects = new AtomicInteger();

    private MinorityViewGuard(HazelcastInstance client) {
        this.client = client;
    }

    static MinorityViewGuard install(HazelcastInstance client) {
        MinorityViewGuard guard = new MinorityViewGuard(client);
        client.getCluster().addMembershipListener(guard);
        return guard;
    }

    /** How many times the guard has closed the client's connections, for tests and logs. */
    int reconnects() {
        return reconnects.get();
    }

    /**
     * A first view below the minimum is not acted on: a node alone after a fresh start (the first
     * pod of a new install) is all there is, and it still serves reads.
     */
    @Override
    public void init(InitialMembershipEvent event) {
        check(event.getMembers(), false);
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        check(event.getMembers(), false);
    }

    /** The view shrank: below the minimum, the member it comes from has lost the others. */
    @Override
    public void memberRemoved(MembershipEvent event) {
        check(event.getMembers(), true);
    }

    private void check(Set<Member> members, boolean shrank) {
        int minimum = minimum(members);
        if (members.size() >= minimum) {
            tries.set(0);
            return;
        }
        if (!shrank) {
            return;
        }
        // One reconnection at a time: a member that drops two others sends two removal events, each
        // with the final list, and a second close would cut the reconnection the first one started.
        if (!reconnecting.compareAndSet(false, true)) {
            return;
        }
        int attempt = tries.incrementAndGet();
        if (attempt > TRIES) {
            reconnecting.set(false);
            if (attempt == TRIES + 1) {
                LOG.warn("Lattice client: still connected to a side of {} members, below the grid's minimum cluster size {},"
                        + " after {} reconnections; staying until the view changes (writes fail meanwhile)",
                        members.size(), minimum, TRIES);
            }
            return;
        }
        LOG.warn("Lattice client: the cluster view comes from a member that sees {} members, below the grid's minimum cluster"
                + " size {}: it is cut off from the majority. Reconnecting through the configured addresses (try {} of {})",
                members.size(), minimum, attempt, TRIES);
        reconnects.incrementAndGet();
        // Off the event thread: closing a connection fires connection events of its own. A second
        // look a second later: landing on the same cut-off member again brings the same member list,
        // so no membership event would tell.
        CompletableFuture.runAsync(this::closeConnections)
                .whenCompleteAsync((ignored, failure) -> checkAgain(), CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
    }

    private void checkAgain() {
        reconnecting.set(false);
        if (client.getLifecycleService().isRunning()) {
            check(client.getCluster().getMembers(), true);
        }
    }

    private static int minimum(Set<Member> members) {
        int minimum = 1;
        for (Member member : members) {
            String value = member.getAttribute(MINIMUM_CLUSTER_SIZE);
            try {
                minimum = value == null ? minimum : Math.max(minimum, Integer.parseInt(value));
            } catch (NumberFormatException e) {
                // not a Lattice node's attribute: no minimum from this member
            }
        }
        return minimum;
    }

    /**
     * Forgets the member list first (what Hazelcast does before it tries another cluster): the client
     * reconnects through that list before its configured addresses, and the list holds only the
     * cut-off member. The next member list is then taken whatever its version.
     */
    private void closeConnections() {
        HazelcastClientInstanceImpl instance = client instanceof HazelcastClientProxy proxy ? proxy.client : null;
        if (instance != null) {
            instance.getClientClusterService().onTryToConnectNextCluster();
            instance.getConnectionManager().getActiveConnections()
                    .forEach(connection -> connection.close("cluster view below the grid's minimum cluster size", null));
        }
    }
}
