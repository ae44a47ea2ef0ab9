package dev.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of a member of three packaged nodes under sustained write load, alone and combined with
 * database faults: every acknowledged write ends in the table with its last acknowledged value.
 * Every scenario starts its three nodes at the same moment on a fresh database, so it also proves
 * that concurrent first starts migrate the schema one after the other.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class MemberCrashFaultTests {

    /** Longer than Hazelcast's backup delay (10 s). */
    private static final Duration STALL = Duration.ofSeconds(13);

    @Test
    void killMinus9UnderLoad_everyAcknowledgedWriteReachesTheTable() {
        for (int run = 0; run < Scenario.runs(); run++) {
            try (Scenario s = Scenario.start("kill -9 of node " + (run % 3), 3, Scenario.seed() + run)) {
                s.startLoad();
                Scenario.hold(Scenario.load().dividedBy(3));
                s.grid.node(run % 3).kill();
                Scenario.hold(Scenario.load().dividedBy(3).multipliedBy(2));
                s.stopLoad();
                s.verify(Duration.ofSeconds(60));
            }
        }
    }

    /**
     * The same on a write-through map, a fifth of the writes {@code putAll}s of up to 30 keys: a
     * write-through call answers only once its rows committed, and each partition's entries of a
     * {@code putAll} commit together, fenced like every write, so a member's crash (its partitions
     * taken over, its calls in flight failing and repeated) must leave no acknowledged key behind.
     */
    @Test
    void killMinus9OfAWriteThroughMapUnderLoad_everyAcknowledgedWriteAndPutAllIsInTheTable() {
        for (int run = 0; run < Scenario.runs(); run++) {
            try (Scenario s = Scenario.start("kill -9, write-through with putAll", 3, Scenario.seed() + run,
                    Grid.STORE_MODE + "write-through")) {
                s.ledger.withPutAlls();
                s.startLoad();
                Scenario.hold(Scenario.load().dividedBy(3));
                s.grid.node(run % 3).kill();
                s.mark("kill -9 of node-" + run % 3);
                Scenario.hold(Scenario.load().dividedBy(3).multipliedBy(2));
                s.stopLoad();
                s.verify(Duration.ofSeconds(60));
            }
        }
    }

    /**
     * The table already holds every key when the writers start, and the map loads lazily, so the
     * writers' first deletes remove rows the grid never held in memory. Hazelcast queues such a
     * delete on its owner only: before Lattice backed these deletes up, the owner's kill -9 lost the
     * ones still queued, and their rows stayed ({@code DeleteOfUnloadedKeyTest}). Half the deletes
     * are {@code remove(key, value)}, whose backup skipped its queue for such a row
     * ({@code RowsLoadedOnTheOwnerOnlyTest}).
     */
    @Test
    void killMinus9WhileDeletingRowsNotInMemory_everyAcknowledgedDeleteReachesTheTable() throws Exception {
        for (int run = 0; run < Scenario.runs(); run++) {
            try (Scenario s = Scenario.start("kill -9 while deleting rows not in memory", 3, Scenario.seed() + run)) {
                s.database.insertRows(s.ledger.preload(Scenario.WRITERS, Scenario.KEYS));
                s.ledger.withConditionalWrites();
                s.mark(Scenario.KEYS + " rows in the table, none in the grid");
                s.startLoad();
                Scenario.hold(Scenario.load().dividedBy(3));
                s.grid.node(run % 3).kill();
                s.mark("kill -9 of node-" + run % 3);
                Scenario.hold(Scenario.load().dividedBy(3).multipliedBy(2));
                s.stopLoad();
                s.verify(Duration.ofSeconds(60));
            }
        }
    }

    @Test
    void killMinus9WhileTheDatabaseIsDown_everyAcknowledgedWriteReachesTheTableOnceItIsBack() throws Exception {
        for (int run = 0; run < Scenario.runs(); run++) {
            try (Scenario s = Scenario.start("kill -9 during a database outage", 3, Scenario.seed() + run)) {
                s.startLoad();
                Scenario.hold(Scenario.load().dividedBy(4));
                s.database.cut();
                Scenario.hold(Scenario.load().dividedBy(4));
                s.grid.node(1 + run % 2).kill();
                Scenario.hold(Scenario.load().dividedBy(4));
                s.database.restore();
                Scenario.hold(Scenario.load().dividedBy(4));
                s.stopLoad();
                s.verify(Duration.ofSeconds(90));
                assertThat(s.deadLetters()).as("an outage never dead-letters").isZero();
            }
        }
    }

    /**
     * A node joins while the table takes no writes (a lock, as a database that cannot write to its
     * disk: connections and reads still work, so the node can start), so it receives backup copies
     * of writes queued longer than Hazelcast's 10 s backup delay; then an owner is killed. Hazelcast's
     * own worker runs one pass on the joining node's new map, which dropped such copies without
     * asking the owner until Lattice raised that delay (docs/reliability.md, seventh session). In four
     * runs on the build before that fix this scenario lost nothing: the pass there found no such
     * copies. {@code WriteBehindBackupTest} runs the pass after the copies arrived and loses writes
     * without the fix; this scenario proves the stall and the crash on packaged nodes.
     */
    @Test
    void nodeJoinsWhileWritesStall_thenKillMinus9_everyAcknowledgedWriteReachesTheTable() throws Exception {
        for (int run = 0; run < Scenario.runs(); run++) {
            try (Scenario s = Scenario.start("kill -9 after a node joined during a write stall", 3, Scenario.seed() + run)) {
                s.startLoad();
                Scenario.hold(Scenario.load().dividedBy(4));
                GridProcess joining = s.grid.node(2);
                joining.kill();
                s.mark("kill -9 of node-2");
                try (AutoCloseable stall = s.database.stallWrites(Grid.MAP)) {
                    s.mark("table locked");
                    long writesBefore = s.database.count("SELECT count(*) FROM fault_audit");
                    // The fault itself: the queued writes must be older than Hazelcast's backup delay when node-2 joins.
                    Scenario.hold(STALL);
                    joining.start();
                    s.grid.awaitReady(Duration.ofSeconds(120));
                    s.mark("node-2 joined and ready");
                    s.grid.node(run % 2).kill();
                    s.mark("kill -9 of node-" + run % 2);
                    Scenario.hold(Scenario.load().dividedBy(4));
                    assertThat(s.database.count("SELECT count(*) FROM fault_audit")).as("rows written during the stall")
                            .isEqualTo(writesBefore);
                }
                s.mark("table unlocked");
                Scenario.hold(Scenario.load().dividedBy(4));
                s.stopLoad();
                s.verify(Duration.ofSeconds(90));
            }
        }
    }

    @Test
    @Tag("long")
    void connectionsTerminatedByTheServerThenKillMinus9_everyAcknowledgedWriteReachesTheTable() throws Exception {
        for (int run = 0; run < Scenario.runs(); run++) {
            try (Scenario s = Scenario.start("connections terminated, then kill -9", 3, Scenario.seed() + run)) {
                s.startLoad();
                Scenario.hold(Scenario.load().dividedBy(3));
                assertThat(s.database.terminateNodeConnections()).as("node connections terminated").isPositive();
                s.grid.node(run % 3).kill();
                Scenario.hold(Scenario.load().dividedBy(3).multipliedBy(2));
                s.stopLoad();
                s.verify(Duration.ofSeconds(60));
            }
        }
    }
}
