package dev.lattice.cacheloader.writebehind;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.cacheloader.jdbc.Ownership;
import dev.lattice.cacheloader.jdbc.PoisonPolicy;
import dev.lattice.cacheloader.jdbc.TableWriter;
import java.util.function.BooleanSupplier;

/**
 * Lattice's write-behind for one map on one member: the {@link WriteBehindDrainer} that stores
 * this member's queues and the {@link BackupSweeper} that releases the backups' copies once stored.
 */
public final class WriteBehind implements AutoCloseable {

    private final WriteBehindDrainer drainer;
    private final BackupSweeper sweeper;

    private WriteBehind(WriteBehindDrainer drainer, BackupSweeper sweeper) {
        this.drainer = drainer;
        this.sweeper = sweeper;
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
        WriteBehindDrainer drainer = new WriteBehindDrainer(member, settings, writer, new QueueOutcomes(member, poison), state,
                ready);
        BackupSweeper sweeper = new BackupSweeper(member, settings);
        drainer.start();
        sweeper.start();
        return new WriteBehind(drainer, sweeper);
    }

    /** Stops both; Hazelcast's shutdown flush stores (or spools) what this member still owns. */
    @Override
    public void close() {
        sweeper.close();
        drainer.close();
    }
}
