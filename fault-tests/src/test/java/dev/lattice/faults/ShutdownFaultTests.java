package dev.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful stops: the last node stopping while the database is down, a rolling restart of every
 * node under load, and the cluster shrinking and growing again.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ShutdownFaultTests {

    private static final Logger log = LoggerFactory.getLogger(ShutdownFaultTests.class);

    /** Kubernetes' default grace period. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    @Test
    void lastNodeStoppedWhileTheDatabaseIsDown_exitsInTime_andItsWritesReachTheTableWhenItStartsAgain() throws IOException {
        try (Scenario s = Scenario.start("SIGTERM of the last node, database down", 1, Scenario.seed())) {
            GridProcess node = s.grid.node(0);
            s.startLoad();
            Scenario.hold(Scenario.load().dividedBy(3));
            s.database.cut();
            Scenario.hold(Scenario.load().dividedBy(3));
            s.stopLoad();

            long stopping = System.nanoTime();
            node.terminate();
            s.mark("SIGTERM");
            if (!node.waitFor(GRACE.multipliedBy(2).dividedBy(3))) {
                // Where the remaining time goes, in the node's log, if it is about to overrun.
                try {
                    node.dumpThreads();
                } catch (IllegalStateException exitedMeanwhile) {
                    // Nothing to dump.
                }
            }
            assertThat(node.waitFor(GRACE.dividedBy(3))).as("the node exits within Kubernetes' grace period").isTrue();
            long stopMillis = (System.nanoTime() - stopping) / 1_000_000;
            log.info("the last node stopped {} ms after SIGTERM, with the database down", stopMillis);
            assertThat(spoolFiles(node)).as("unstored writes saved to the node's disk").isNotEmpty();

            s.database.restore();
            // Started again, nobody touches the map: the saved writes go to the table on their own.
            node.start();
            s.grid.awaitReady(Duration.ofSeconds(120));
            s.verify(Duration.ofSeconds(60));
            assertThat(spoolFiles(node)).as("the spool is emptied once replayed").isEmpty();
            assertThat(stopMillis).isLessThan(GRACE.toMillis());
        }
    }

    @Test
    void rollingRestartOfEveryNodeUnderLoad_losesNothing_andFailsAlmostNoCalls() {
        try (Scenario s = Scenario.start("rolling restart (SIGTERM, start, ready) of all 3", 3, Scenario.seed())) {
            restartEachNodeUnderLoad(s);
        }
    }

    /**
     * The same on a write-through map with {@code putAll}s: each node leaving and joining again moves
     * partitions while calls wait on the database. A call whose store the fence refuses because its
     * partition moved and was claimed runs again on the new owner ({@code StoreRefusedAfterPartitionMovedTest}),
     * so the restarts must neither lose an acknowledged write nor fail more than a few calls.
     */
    @Test
    @Tag("long")
    void rollingRestartOfAWriteThroughMapUnderLoad_losesNothing_andFailsAlmostNoCalls() {
        for (int run = 0; run < Scenario.runs(); run++) {
            try (Scenario s = Scenario.start("rolling restart of all 3, write-through with putAll", 3, Scenario.seed() + run,
                    Grid.STORE_MODE + "write-through")) {
                s.ledger.withPutAlls();
                restartEachNodeUnderLoad(s);
            }
        }
    }

    @Test
    @Tag("long")
    void clusterShrunkToTwoAndGrownBackToThree_losesNothing() {
        try (Scenario s = Scenario.start("graceful 3 -> 2 -> 3", 3, Scenario.seed())) {
            s.startLoad();
            Scenario.hold(Scenario.load().dividedBy(3));
            GridProcess leaving = s.grid.node(2);
            leaving.terminate();
            assertThat(leaving.waitFor(GRACE)).isTrue();
            Scenario.hold(Scenario.load().dividedBy(3));
            leaving.start();
            s.grid.awaitReady(Duration.ofSeconds(120));
            Scenario.hold(Scenario.load().dividedBy(3));
            s.stopLoad();
            s.verify(Duration.ofSeconds(60));
        }
    }

    /**
     * SIGTERM, start and readiness, node by node, under load; then no acknowledged write may be lost and
     * at most one call in 1,000 may fail.
     */
    private static void restartEachNodeUnderLoad(Scenario s) {
        s.startLoad();
        Scenario.hold(Duration.ofSeconds(3));
        for (GridProcess node : s.grid.nodes()) {
            node.terminate();
            assertThat(node.waitFor(GRACE)).as(node.name() + " stops within the grace period").isTrue();
            node.start();
            s.grid.awaitReady(Duration.ofSeconds(120));
        }
        Scenario.hold(Duration.ofSeconds(3));
        s.stopLoad();
        s.verify(Duration.ofSeconds(60));
        assertThat(s.ledger.failedCalls()).as("failed client calls, of %d", s.ledger.writes())
                .isLessThanOrEqualTo(s.ledger.writes() / 1000);
    }

    private static java.util.List<Path> spoolFiles(GridProcess node) throws IOException {
        Path spool = node.log().getParent().resolve("work").resolve(node.name()).resolve("spool");
        if (!Files.isDirectory(spool)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.walk(spool)) {
            return files.filter(f -> f.toString().endsWith(".spool")).toList();
        }
    }
}
