package dev.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member frozen past failure detection (SIGSTOP, as a very long GC pause or a frozen VM would)
 * is removed, its backups take over its partitions and store newer writes; when it wakes up it
 * still holds its old write-behind queue. It must never write an older value over a newer one.
 * Its short freeze must not cost a member: a pause shorter than failure detection keeps the cluster whole.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class StaleOwnerFaultTests {

    /** Longer than Lattice's 6 s failure detection. */
    private static final Duration LONG_PAUSE = Duration.ofSeconds(14);

    /**
     * In CI: one frozen member, not chosen to be the master or not. It wakes, finds the cluster went on
     * without it, and halts (exit code 75) instead of rejoining with stale data; started again, as its
     * supervisor would, it joins empty. Nothing acknowledged is lost or stale.
     */
    @Test
    void memberPausedPastFailureDetection_exitsWhenItWakes_andRejoinsEmpty() {
        try (Scenario s = Scenario.start("SIGSTOP " + LONG_PAUSE.toSeconds() + " s, exit, restart", 3, Scenario.seed())) {
            freezeUnderLoad(s, s.grid.node((int) (Scenario.seed() % 3)));
            await().atMost(Duration.ofSeconds(60)).until(() -> s.grid.nodes().stream().allMatch(GridProcess::ready));
        }
    }

    /**
     * In the long profile, not in CI, over many seeds, freezing the master every time (the case CI's
     * scenario above meets only when its seed's node happens to be the master), with the README's
     * 10 s bound on client calls checked after all runs. Before the silent-connection reaper, 5 of 20
     * such runs had a survivor's I/O thread spinning and one stalled 18.5 s; with it, 0 of 15
     * (docs/reliability.md, fifth session).
     */
    @Test
    @Tag("long")
    void memberPausedPastFailureDetection_neverWritesAnOlderValueWhenItWakes() {
        List<String> slow = new ArrayList<>();
        for (int run = 0; run < Scenario.runs(); run++) {
            try (Scenario s = Scenario.start("SIGSTOP " + LONG_PAUSE.toSeconds() + " s, then SIGCONT", 3, Scenario.seed() + run)) {
                freezeUnderLoad(s, s.master());
                if (s.ledger.maxCallMillis() >= 10_000) {
                    slow.add("seed " + s.seed + ": " + s.ledger.maxCallMillis() + " ms");
                }
            }
        }
        // After every run: a slow run must not hide what the later runs would show about data.
        assertThat(slow).as("runs whose longest client call while a member hung passed the README's 10 s").isEmpty();
    }

    /** Writers run; the member freezes, wakes, exits and starts again; then the table must match the ledger. */
    private static void freezeUnderLoad(Scenario s, GridProcess paused) {
        s.startLoad();
        Scenario.hold(Scenario.load().dividedBy(4));
        freezeAndRestart(s, paused);
        Scenario.hold(Scenario.load().dividedBy(2));
        s.stopLoad();
        s.verify(Duration.ofSeconds(90));
    }

    /** Freezes the member past failure detection, wakes it, sees it exit 75 and starts it again. */
    private static void freezeAndRestart(Scenario s, GridProcess paused) {
        paused.pause();
        s.mark("SIGSTOP " + paused.name());
        // Thread dumps of the others (in their logs) while they detect the frozen member and
        // agree on a new member list: in some runs one of them stops heartbeating here.
        Scenario.hold(Duration.ofSeconds(8));
        s.grid.nodes().stream().filter(n -> n != paused).forEach(GridProcess::dumpThreads);
        Scenario.hold(Duration.ofSeconds(3));
        s.grid.nodes().stream().filter(n -> n != paused).forEach(GridProcess::dumpThreads);
        Scenario.hold(LONG_PAUSE.minusSeconds(11));
        paused.resume();
        s.mark("SIGCONT " + paused.name());
        assertThat(paused.waitFor(Duration.ofSeconds(30))).as("the woken member, left behind, exits").isTrue();
        assertThat(paused.exitValue()).as("its exit code").isEqualTo(75);
        s.mark(paused.name() + " exited 75; started again");
        paused.start();
    }

    @Test
    void memberPausedShorterThanFailureDetection_staysInTheCluster() {
        try (Scenario s = Scenario.start("SIGSTOP 2 s (a GC pause)", 3, Scenario.seed())) {
            s.startLoad();
            Scenario.hold(Duration.ofSeconds(3));
            GridProcess paused = s.grid.node(2);
            paused.pause();
            Scenario.hold(Duration.ofSeconds(2));
            paused.resume();
            Scenario.hold(Duration.ofSeconds(5));
            s.stopLoad();
            s.verify(Duration.ofSeconds(60));
            // Still one cluster of three: readiness reports the member count it sees.
            await().atMost(Duration.ofSeconds(10)).until(() -> s.grid.nodes().stream().allMatch(GridProcess::ready));
            assertThat(s.ledger.maxCallMillis()).as("a 2 s pause stalls calls about 2 s").isLessThan(10_000);
        }
    }
}
