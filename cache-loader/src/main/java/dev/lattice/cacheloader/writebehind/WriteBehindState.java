package dev.lattice.cacheloader.writebehind;

import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindQueue;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore;
import com.hazelcast.map.impl.mapstore.writebehind.entry.DelayedEntry;
import dev.lattice.cacheloader.jdbc.FailureClassifier;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator needs to see of one map's write-behind on this member, and the backoff that
 * keeps a dead database from being hammered: queued writes, the age of the oldest, the copies held
 * for other owners, and whether the database answers.
 */
public final class WriteBehindState {

    private static final Logger log = LoggerFactory.getLogger(WriteBehindState.class);
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(30).toNanos();

    private final String mapName;
    private final RetryBackoff backoff;
    private final MapStoreMetrics metrics;
    private volatile long backlog;
    private volatile long oldestStoreTime = -1;
    private volatile long backupBacklog;
    private volatile boolean databaseDown;
    private volatile long lastFailureLog;

    public WriteBehindState(String mapName, Duration maxRetryBackoff, MapStoreMetrics metrics) {
        this.mapName = mapName;
        this.backoff = new RetryBackoff(maxRetryBackoff);
        this.metrics = metrics;
        metrics.bindWriteBehind(() -> backlog, this::oldestAgeSeconds, () -> backupBacklog);
    }

    /** Nanoseconds before the next write attempt; 0 when writes may go now. */
    public long backoffRemainingNanos() {
        return backoff.remainingNanos();
    }

    /** Whether the last write attempt failed because of the database. */
    public boolean databaseDown() {
        return databaseDown;
    }

    public void databaseFailed(SQLException failure) {
        backoff.failed();
        metrics.retried();
        long now = System.nanoTime();
        if (!databaseDown || now - lastFailureLog > LOG_EVERY_NANOS) {
            lastFailureLog = now;
            log.warn("map '{}': writing to the database failed ({}); queued writes stay queued and are retried with backoff",
                    mapName, FailureClassifier.describeSafely(failure));
        }
        databaseDown = true;
    }

    public void databaseSucceeded() {
        if (databaseDown) {
            databaseDown = false;
            log.info("map '{}': the database accepts writes again; draining the queue", mapName);
        }
        backoff.succeeded();
    }

    /** Recomputes the gauges from this member's queues. */
    void observe(HazelcastMember member) {
        long owned = 0;
        long backups = 0;
        long oldest = Long.MAX_VALUE;
        for (int p = 0; p < member.partitionCount(); p++) {
            WriteBehindStore store = member.store(p);
            if (store == null) {
                continue;
            }
            WriteBehindQueue<DelayedEntry> queue = HazelcastMember.queue(store);
            int size = queue.size();
            if (size == 0) {
                continue;
            }
            if (member.owns(p)) {
                owned += size;
                DelayedEntry head = queue.peek();
                if (head != null) {
                    oldest = Math.min(oldest, head.getStoreTime());
                }
            } else {
                backups += size;
            }
        }
        backlog = owned;
        backupBacklog = backups;
        oldestStoreTime = oldest == Long.MAX_VALUE ? -1 : oldest;
    }

    private double oldestAgeSeconds() {
        long oldest = oldestStoreTime;
        return oldest < 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
    }
}
