package dev.lattice.cacheloader.writebehind;

import java.time.Duration;

/**
 * How one map's write-behind queue is drained on a member.
 *
 * @param writeDelay how long a write stays queued before it is due
 * @param batchSize most entries per transaction
 * @param coalescing whether the queue keeps one write per key (Hazelcast's write coalescing)
 * @param parallelism transactions in flight at once for this map
 * @param minimumClusterSize members this member must see before it writes (split-brain protection); 1 = always
 * @param tick how often the queues are looked at
 * @param sweepInterval how often backups ask owners which of their copies are stored
 */
public record WriteBehindSettings(Duration writeDelay, int batchSize, boolean coalescing, int parallelism,
                                  int minimumClusterSize, Duration tick, Duration sweepInterval) {

    /** A tick short enough that a write waits about its delay, not its delay plus a second. */
    public static Duration tickFor(Duration writeDelay) {
        long millis = Math.max(50, Math.min(250, writeDelay.toMillis() / 4));
        return Duration.ofMillis(millis);
    }
}
