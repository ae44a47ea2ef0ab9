package dev.lattice.cacheloader.writebehind;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.cacheloader.jdbc.Ownership;
import dev.lattice.cacheloader.jdbc.PoisonPolicy;
import dev.lattice.cacheloader.jdbc.TableWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Lattice's write-behind for one map on one member: the {@link WriteBehindDrainer} that stores
 * this member's queues and the {@link BackupSweeper} that releases the backups' copies once stored.
 */
public final class WriteBehind implements AutoCloseable {

    /** How long a write outside the drainer waits for the drainer's round in flight. */
    private static final Duration ROUND_WAIT = Duration.ofSeconds(5);

    private final HandedOverWrites handedOver;
    private final WriteBehindDrainer drainer;
    private final BackupSweeper sweeper;

    private WriteBehind(HazelcastMember member, WriteBehindDrainer drainer, BackupSweeper sweeper) {
        this.handedOver = new HandedOverWrites(member);
        this.drainer = drainer;
        this.sweeper = sweeper;
    }

    /**
     * For a store call that does not come from the drainer (Hazelcast's own worker, which still runs
     * one pass after it is stopped and stores entries a flush marked): between two of the drainer's
     * rounds, hands {@code write} only the writes that are still the latest queued write of their
     * key. The others were replaced by a newer write or stored already; writing them would put an
     * older value over a newer one. Returns false, writing nothing, if the drainer's round did not
     * end in time.
     */
    public boolean writeLatestOnly(Map<Object, Object> writes, Consumer<Set<Object>> write) {
        return drainer.betweenRounds(() -> write.accept(handedOver.latestQueued(writes)), ROUND_WAIT);
    }

    /**
     * Runs {@code action} between two of the drainer's rounds (for a clear, which must not have a
     * round store a queued value after its delete). Returns false, running nothing, if the drainer's
     * round did not end in time.
     */
    public boolean betweenRounds(Runnable action) {
        return drainer.betweenRounds(action, ROUND_WAIT);
    }

    /** For debugging: where each of {@code keys} (of {@code writes}) stands on this member; never logs values. */
    public List<String> explain(Map<Object, Object> writes, Set<Object> keys) {
        return handedOver.explain(writes, keys);
    }

    /** For debugging: the keys of {@code keys} with no write queued on this member. */
    public Set<Object> notQueued(Set<Object> keys) {
        return handedOver.notQueued(keys);
    }

    /** What the member {@code instance} believes about partition ownership, for fenced writes. */
    public static Ownership ownership(HazelcastInstance instance, String mapName) {
        return HazelcastMember.of(instance, mapName);
    }

    /**
     * Starts draining map {@code mapName} on member {@code instance}; nothing is written while
     * {@code ready} is false (writes saved at the last shutdown are not in the table yet).
     */
    public static WriteBehind start(HazelcastInstance instance, String mapName, WriteBehindSettings settings,
                                    TableWriter writer, PoisonPolicy poison, WriteBehindState state, BooleanSupplier ready) {
        HazelcastMember member = HazelcastMember.of(instance, mapName);
        member.requireConfiguredMember();
        WriteBehindDrainer drainer = new WriteBehindDrainer(member, settings, writer, new QueueOutcomes(member, poison), state,
                ready);
        BackupSweeper sweeper = new BackupSweeper(member, settings);
        drainer.start();
        sweeper.start();
        return new WriteBehind(member, drainer, sweeper);
    }

    /** Stops both; Hazelcast's shutdown flush stores (or spools) what this member still owns. */
    @Override
    public void close() {
        sweeper.close();
        drainer.close();
    }
}
