package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.lattice.testsupport.LocalCluster;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guard's decision on real member lists: it exits only when a long pause is followed, within
 * the window, by members gone from the view. A pause can not be made in-process, so the clock is
 * the test's; the member lists are a real cluster's. The packaged node's exit after a real SIGSTOP
 * is proven in fault-tests ({@code StaleOwnerFaultTests}).
 */
class StaleMemberGuardTests {

    private static final Duration PAUSE = Duration.ofSeconds(6);
    private static final Duration WINDOW = Duration.ofSeconds(18);
    private static final long SECOND = 1_000_000_000L;

    private static LocalCluster cluster;
    private static Set<Member> three;
    private static Set<Member> one;

    @BeforeAll
    static void cluster() {
        cluster = LocalCluster.builder().members(3).configFactory(ClusterResilienceTests::latticeMember).start();
        three = cluster.member(0).getCluster().getMembers();
        one = Set.of(cluster.member(0).getCluster().getLocalMember());
    }

    @AfterAll
    static void close() {
        cluster.close();
    }

    private final AtomicInteger exitCode = new AtomicInteger(-1);

    private StaleMemberGuard.Watch watchFrom(long now, Set<Member> members) {
        return guard(cluster.member(0), () -> 0).watch(now, members);
    }

    private StaleMemberGuard guard(HazelcastInstance member, LongSupplier clock) {
        return new StaleMemberGuard(member, true, PAUSE, WINDOW, clock, exitCode::set);
    }

    @Test
    void membersGoneAfterALongPause_exitWithCode75() {
        StaleMemberGuard.Watch watch = watchFrom(0, three);
        assertThat(watch.tick(7 * SECOND, three)).as("woke up, nobody gone yet").isFalse();
        assertThat(watch.tick(7 * SECOND + SECOND / 5, one)).isTrue();
        assertThat(exitCode).hasValue(StaleMemberGuard.EXIT_CODE);
    }

    @Test
    void membersGoneAtTheEndOfTheWindow_stillExit() {
        StaleMemberGuard.Watch watch = watchFrom(0, three);
        watch.tick(7 * SECOND, three);
        for (long t = 7 * SECOND; t < 25 * SECOND; t += SECOND / 5) {
            assertThat(watch.tick(t, three)).isFalse();
        }
        assertThat(watch.tick(25 * SECOND, one)).isTrue();
    }

    @Test
    void aShortPause_thenAMemberGone_isACrashElsewhere_andDoesNotExit() {
        StaleMemberGuard.Watch watch = watchFrom(0, three);
        assertThat(watch.tick(5 * SECOND, three)).isFalse();
        assertThat(watch.tick(5 * SECOND + SECOND / 5, one)).isFalse();
        assertThat(exitCode).hasValue(-1);
    }

    @Test
    void aLongPause_withEveryMemberStillThere_doesNotExit() {
        // Every member paused together (one suspended VM): nobody was removed, and the unstored
        // writes these members hold are the only copies.
        StaleMemberGuard.Watch watch = watchFrom(0, three);
        for (long t = 30 * SECOND; t < 60 * SECOND; t += SECOND / 5) {
            assertThat(watch.tick(t, three)).isFalse();
        }
        assertThat(exitCode).hasValue(-1);
    }

    @Test
    void membersGoneLongAfterThePause_doNotExit() {
        StaleMemberGuard.Watch watch = watchFrom(0, three);
        watch.tick(7 * SECOND, three);
        for (long t = 7 * SECOND; t <= 26 * SECOND; t += SECOND / 5) {
            watch.tick(t, three);
        }
        assertThat(watch.tick(26 * SECOND, one)).isFalse();
        assertThat(exitCode).hasValue(-1);
    }

    @Test
    void aLoneMember_pausedThenStillAlone_doesNotExit() {
        StaleMemberGuard.Watch watch = watchFrom(0, one);
        assertThat(watch.tick(60 * SECOND, one)).isFalse();
        assertThat(exitCode).hasValue(-1);
    }

    @Test
    void aMemberThatJoinedAfterThePause_leavingAgain_isNotMissedFromBefore() {
        // Only the members seen before the pause count: a newcomer coming and going is routine.
        Set<Member> two = Set.of(cluster.member(0).getCluster().getLocalMember(), cluster.member(1).getCluster().getLocalMember());
        StaleMemberGuard.Watch watch = watchFrom(0, two);
        watch.tick(7 * SECOND, two);
        assertThat(watch.tick(8 * SECOND, three)).isFalse();
        assertThat(watch.tick(9 * SECOND, two)).isFalse();
        assertThat(exitCode).hasValue(-1);
    }

    @Test
    void theRunningGuard_exitsWhenAMemberIsRemovedAfterTheClockJumped() {
        try (LocalCluster own = LocalCluster.builder().members(2).configFactory(ClusterResilienceTests::latticeMember).start()) {
            AtomicLong time = new AtomicLong();
            AtomicInteger reads = new AtomicInteger();
            StaleMemberGuard guard = guard(own.member(0), () -> {
                reads.incrementAndGet();
                return time.get();
            });
            guard.start();
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() >= 1);
                time.addAndGet(10 * SECOND);
                // Two more ticks: the guard has seen the jump. Then the other member really goes.
                int before = reads.get();
                await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() >= before + 2);
                assertThat(exitCode).as("a pause alone").hasValue(-1);
                own.terminate(1);
                await().atMost(Duration.ofSeconds(30)).until(() -> exitCode.get() == StaleMemberGuard.EXIT_CODE);
            } finally {
                guard.stop();
            }
        }
    }
}
