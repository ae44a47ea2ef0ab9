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
