package dev.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 2|1 network partition between three nodes on three hosts (network namespaces), under load.
 * The single node notices it sees fewer than the minimum cluster size (2 of 3): it refuses writes
 * and takes over no partition in the table. After the network heals, it merges back into the
 * majority, and every acknowledged write is in the table with its last acknowledged value, and
 * every acknowledged delete has left no row.
 * {@code -Dfaults.runs=N} repeats it over N seeds (each run bounded to 15 minutes), for hunting a
 * failure that shows in about one run in ten.
 */
class NetworkPartitionFaultTests {

    /**
     * In CI since 16 runs in a row ended with nothing lost or stale after the fix of its stale keys
     * (2 of 9 runs before it: the member that merged back ran two write-behind drainers; cache-loader's
     * MergeBackTest covers that cause). It failed CI once more in the sixth session (15 stale keys:
     * writes Hazelcast's worker was handed after they had left the queue; HazelcastWorkerCallTest
     * covers the fix, 20 runs since were clean). One write in ten is a delete: until the ninth
     * session, keys deleted on the majority during the split came back at the merge, in the grid and
     * the table (seed 302: 335 keys), because Hazelcast's put-if-absent merge adds entries the bigger
     * side no longer holds; grid-server's SplitMergeTests covers the fix, MajorityMergePolicy. It
     * asserts no bound on client stalls: in some runs the client keeps writing to the cut-off member
     * until the sides merge (docs/reliability.md, Known limits).
     */
    @Test
    @Timeout(value = 12, unit = TimeUnit.HOURS) // the suite's 15-minute default bounds each run below instead
    void partitionTwoAgainstOne_theMinorityRefusesWrites_andAfterHealingNothingAcknowledgedIsLostOrUndeleted() {
        assumeTrue(IsolatedHosts.available(), "network namespaces need root and iproute2");
        // CI runs one; -Dfaults.runs=N hunts a rare failure over N seeds, stopping at the first.
        for (int run = 0; run < Scenario.runs(); run++) {
            long seed = Scenario.seed() + run;
            assertTimeoutPreemptively(Duration.ofMinutes(15), () -> partitionAndHeal(seed), "seed " + seed);
        }
    }

    private static void partitionAndHeal(long seed) {
        try (IsolatedHosts hosts = IsolatedHosts.create(3);
             Scenario s = Scenario.start("network partition 2 vs 1", 3, seed, hosts)) {
            s.startLoad();
            Scenario.hold(Duration.ofSeconds(3));
            hosts.partition(Set.of(0, 1), Set.of(2));
            s.mark("network cut: {node-0, node-1} | {node-2}");
            Scenario.hold(Duration.ofSeconds(20));
            hosts.heal();
            s.mark("network healed");
            // The sides merge on Lattice's merge schedule (30 s), then the cluster is whole again.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> s.grid.nodes().stream().allMatch(GridProcess::ready));
            s.mark("all nodes ready");
            Scenario.hold(Duration.ofSeconds(3));
            s.stopLoad();
            s.verify(Duration.ofSeconds(90));
            assertThat(s.ledger.writes()).isPositive();
        }
    }
}
