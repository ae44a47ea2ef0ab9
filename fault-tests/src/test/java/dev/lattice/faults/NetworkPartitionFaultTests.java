package dev.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 2|1 network partition between three nodes on three hosts (network namespaces), under load.
 * The single node notices it sees fewer than the minimum cluster size (2 of 3): it refuses writes
 * and takes over no partition in the table. After the network heals, it merges back into the
 * majority, and every acknowledged write is in the table with its last acknowledged value.
 * {@code -Dfaults.runs=N} repeats it over N seeds (each run bounded to 15 minutes), for hunting a
 * failure that shows in about one run in ten.
 */
class NetworkPartitionFaultTests {

    /**
     * In CI since 16 runs in a row ended with nothing lost or stale after the fix of its stale keys
     * (2 of 9 runs before it: the member that merged back ran two write-behind drainers; cache-loader's
     * MergeBackTest covers that cause). It failed CI once more in the sixth session (15 stale keys:
     * writes Hazelcast's worker was handed after they had left the queue; HazelcastWorkerCallTest
     * covers the fix, 20 runs since were clean). It asserts no bound on client stalls: until the ninth
     * session, a client whose view came from the cut-off member kept writing to it until the sides
     * merged (43-46 s); grid-client's MinorityViewGuard moves it (SplitMergeTests). Its writers delete
     * nothing: see the scenario below.
     */
    @Test
    @Timeout(value = 12, unit = TimeUnit.HOURS) // the suite's 15-minute default bounds each run below instead
    void partitionTwoAgainstOne_theMinorityRefusesWrites_andAfterHealingNothingAcknowledgedIsLost() {
        assumeTrue(IsolatedHosts.available(), "network namespaces need root and iproute2");
        // CI runs one; -Dfaults.runs=N hunts a rare failure over N seeds, stopping at the first.
        for (int run = 0; run < Scenario.runs(); run++) {
            long seed = Scenario.seed() + run;
            assertTimeoutPreemptively(Duration.ofMinutes(15), () -> partitionAndHeal(seed, false, false), "seed " + seed);
        }
    }

    /**
     * The same with one write in ten a delete, and the master cut off. Seed 302 (eighth session)
     * ended with 335 keys deleted on the majority during the split holding their pre-split value
     * again, in the grid and in the table: Hazelcast merges entries, not deletions, and its default
     * put-if-absent policy adds the cut-off member's copy of a key the majority no longer has. Fixed
     * in the ninth session (MajorityMergePolicy; grid-server's SplitMergeTests, in CI). Seed 318 then
     * counted one put answering the value of a key whose delete had been acknowledged, and seed 342
     * of the scenario above one answering nothing: a cut-off master acknowledged writes with no
     * backup while it removed the other two (fixed in the tenth session, SplitBrainProtectionTests).
     * Cutting the master every time, the jar from before that fix failed here in one of ten runs
     * (seed 413: a put on the majority answered nothing for a write the cut-off master acknowledged
     * 9 ms after removing the others). With it, seed 415 failed: in the same window the cut-off
     * master took over partitions in the table and wrote a deleted key's row back (the fence counted
     * listed members; it now asks split-brain protection, UnheardMembersTest). With both fixes seeds
     * 415-425 ended clean (in 417 the fence held 500 writes back in a one-second window), but seed
     * 426 again counted one put answering a value whose delete the cut-off master had acknowledged
     * 3.1 s after the cut, before it removed anyone; the majority's backup never had the delete.
     * The cause (twelfth session): the delete's first attempt failed as indeterminate after the 3 s
     * backup timeout, and its repeat found no entry on the cut-off master, which had applied the
     * first, so Hazelcast answered it with no backup. Such deletes now wait for their backup
     * (DeleteOfUnloadedKeyTest); seeds 426-435 then ended clean, and the scenario is back in CI.
     * Since the fourteenth session its ledger also makes conditional writes, whose repeats found
     * the first attempt's work and were answered without a backup the same way
     * (ConditionalWritesThatChangeNothingTest).
     */
    @Test
    @Timeout(value = 12, unit = TimeUnit.HOURS)
    void partitionTwoAgainstOne_withDeletes_anAcknowledgedDeleteStaysDeletedAfterHealing() {
        assumeTrue(IsolatedHosts.available(), "network namespaces need root and iproute2");
        for (int run = 0; run < Scenario.runs(); run++) {
            long seed = Scenario.seed() + run;
            assertTimeoutPreemptively(Duration.ofMinutes(15), () -> partitionAndHeal(seed, true, true), "seed " + seed);
        }
    }

    /**
     * Cuts node 2 off, or, with {@code cutMaster}, whichever node is the cluster's master: a cut-off
     * master removes the members it no longer hears one at a time, which is the window the tenth
     * session found writes acknowledged without a backup in. Node 2 was the master in none of the ten
     * runs the tenth session checked.
     */
    private static void partitionAndHeal(long seed, boolean deletes, boolean cutMaster) {
        try (IsolatedHosts hosts = IsolatedHosts.create(3);
             Scenario s = Scenario.start(deletes ? "network partition 2 vs 1, with deletes" : "network partition 2 vs 1", 3, seed,
                     hosts)) {
            if (deletes) {
                s.ledger.withConditionalWrites();
                s.startLoad();
            } else {
                s.startLoadWithoutDeletes();
            }
            Scenario.hold(Duration.ofSeconds(3));
            int cut = cutMaster ? s.grid.nodes().indexOf(s.master()) : 2;
            Set<Integer> rest = IntStream.range(0, 3).filter(i -> i != cut).boxed().collect(Collectors.toSet());
            hosts.partition(rest, Set.of(cut));
            s.mark("network cut: " + rest.stream().map(i -> "node-" + i).sorted().toList() + " | node-" + cut
                    + (cutMaster ? " (the master)" : ""));
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
