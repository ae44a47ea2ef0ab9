package dev.lattice.server.member;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stops this process when it wakes from a pause long enough for the others to remove it (a long
 * GC, SIGSTOP, a frozen VM) and then finds members gone from its view: it was left behind, and the
 * cluster went on without it.
 *
 * <p>Why exit rather than rejoin: the woken member still holds its partitions' old values and its
 * old write-behind queues, while the cluster has promoted their backups and stored newer writes.
 * Hazelcast merges it back as a separate cluster, and the direction of that merge is decided by
 * cluster size and then by a hash of addresses, not by who has the newer data. When the survivors
 * have themselves fallen apart meanwhile (seen under CPU starvation: three one-member clusters),
 * they can merge <em>into</em> the stale member, whose old values then win the put-if-absent merge
 * and whose partition table outranks nobody's claims in the fence table: acknowledged writes are
 * lost (issue 6, docs/reliability.md). Exiting is a crash of a member the cluster already replaced,
 * which loses nothing: every acknowledged write has a backup elsewhere (writes whose backups do not
 * confirm fail). The process is halted, not shut down: a graceful shutdown would migrate and spool
 * stale data. Its supervisor (Kubernetes, systemd) starts it again, empty, and it joins as a new member.
 *
 * <p>A pause alone is not enough: when every member paused together (one suspended VM), nobody was
 * removed, and exiting would throw away the only copies of unstored writes. A removal alone is not
 * enough either: a member crashing is routine.
 */
final class StaleMemberGuard implements SmartLifecycle {

    /** sysexits' EX_TEMPFAIL: a temporary condition, start me again. */
    static final int EXIT_CODE = 75;

    private static final Logger log = LoggerFactory.getLogger(StaleMemberGuard.class);
    private static final long TICK_MILLIS = 200;

    private final HazelcastInstance member;
    private final boolean enabled;
    private final long pauseNanos;
    private final long windowNanos;
    private final LongSupplier clock;
    private final IntConsumer exit;
    private volatile Thread thread;

    /**
     * @param enabled whether to watch at all ({@code lattice.failure-detection.exit-when-left-behind})
     * @param pause   a pause at least this long may have got this member removed
     * @param window  how long after such a pause a member missing from this member's view means it was left behind
     */
    StaleMemberGuard(HazelcastInstance member, boolean enabled, Duration pause, Duration window) {
        this(member, enabled, pause, window, System::nanoTime, code -> Runtime.getRuntime().halt(code));
    }

    /** With a clock and an exit of the test's choosing: a pause can not be simulated on the real clock in-process. */
    StaleMemberGuard(HazelcastInstance member, boolean enabled, Duration pause, Duration window, LongSupplier clock,
                     IntConsumer exit) {
        this.member = member;
        this.enabled = enabled;
        this.pauseNanos = pause.toNanos();
        this.windowNanos = window.toNanos();
        this.clock = clock;
        this.exit = exit;
    }

    @Override
    public void start() {
        if (!enabled) {
            log.warn("lattice.failure-detection.exit-when-left-behind is false: a member removed during a long pause"
                    + " rejoins with stale data, and a merge into it can lose acknowledged writes");
            return;
        }
        Thread watcher = new Thread(this::watch, "lattice-stale-member-guard");
        watcher.setDaemon(true);
        thread = watcher;
        watcher.start();
    }

    @Override
    public void stop() {
        Thread watcher = thread;
        thread = null;
        if (watcher != null) {
            watcher.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    private void watch() {
        Watch watch = new Watch(clock.getAsLong(), members());
        while (thread == Thread.currentThread()) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (watch.tick(clock.getAsLong(), members())) {
                return;
            }
        }
    }

    private Set<Member> members() {
        return member.getLifecycleService().isRunning() ? member.getCluster().getMembers() : Set.of();
    }

    /** One observation after another; package-private so a test can drive it tick by tick. */
    Watch watch(long now, Set<Member> members) {
        return new Watch(now, members);
    }

    /** The state between ticks: the last tick, the members seen before the last long pause, and when it ended. */
    final class Watch {
        private long last;
        private Set<Member> seen;
        private Set<Member> beforePause;
        private long pauseEnded;

        private Watch(long now, Set<Member> members) {
            this.last = now;
            this.seen = members;
        }

        /** Returns true when this member was left behind and {@code exit} has been called. */
        boolean tick(long now, Set<Member> members) {
            long gap = now - last;
            if (gap >= pauseNanos && seen.size() > 1) {
                beforePause = seen;
                pauseEnded = now;
                log.warn("This member did not run for {} ms, long enough for the others to remove it; it exits if it"
                        + " finds members gone in the next {} s", gap / 1_000_000, windowNanos / 1_000_000_000);
            }
            last = now;
            if (!members.isEmpty()) {
                seen = members;
            }
            if (beforePause != null && now - pauseEnded <= windowNanos && !members.isEmpty()
                    && !members.containsAll(beforePause)) {
                log.error("This member was paused past failure detection and now misses members it saw before"
                        + " ({} of {} left): the cluster went on without it and it holds stale data. Halting with"
                        + " exit code {}, without a graceful shutdown; the cluster holds every acknowledged write."
                        + " Start it again and it joins empty.", members.size(), beforePause.size(), EXIT_CODE);
                exit.accept(EXIT_CODE);
                return true;
            }
            if (beforePause != null && now - pauseEnded > windowNanos) {
                beforePause = null;
            }
            return false;
        }
    }

    /** First to start, last to stop: it watches from the moment the member runs. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE;
    }
}
