package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts how often the database rejected each key and, once a key has used up its attempts, moves
 * the entry to the dead-letter table. Hazelcast retries a failed entry at the head of its
 * partition's queue forever, so without this one poison entry would block every write behind it.
 * Counts live in memory: after a member restart a poison entry gets its attempts again, which
 * delays it but never loses it.
 */
final class PoisonPolicy {

    private static final Logger log = LoggerFactory.getLogger(PoisonPolicy.class);

    private final String mapName;
    private final int maxAttempts;
    private final DeadLetters deadLetters;
    private final MapStoreMetrics metrics;
    private final Map<Object, Integer> attempts = new ConcurrentHashMap<>();

    PoisonPolicy(String mapName, int maxAttempts, DeadLetters deadLetters, MapStoreMetrics metrics) {
        this.mapName = mapName;
        this.maxAttempts = maxAttempts;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** The key reached the table (or was deleted): its count starts over. */
    void written(Object key) {
        attempts.remove(key);
    }

    /**
     * Counts an attempt for each rejected key; dead-letters those at {@code maxAttempts} and removes
     * them from {@code entries}, so only entries with attempts left stay queued.
     *
     * @throws SQLException if the dead-letter table could not be written; the entry then stays queued
     */
    void settle(Map<Object, Object> entries, Map<Object, Throwable> rejected) throws SQLException {
        for (Map.Entry<Object, Throwable> r : rejected.entrySet()) {
            Object key = r.getKey();
            int attempt = attempts.merge(key, 1, Integer::sum);
            String error = FailureClassifier.describe(r.getValue());
            if (attempt < maxAttempts) {
                log.warn("map '{}': attempt {} of {} to store key {} was rejected: {}", mapName, attempt, maxAttempts, key, error);
                continue;
            }
            deadLetters.record(key, entries.get(key), error, attempt);
            attempts.remove(key);
            entries.remove(key);
            metrics.deadLettered();
            log.error("map '{}': key {} moved to the dead-letter table {} after {} attempts: {}", mapName, key,
                    DeadLetters.TABLE, attempt, error);
        }
    }
}
