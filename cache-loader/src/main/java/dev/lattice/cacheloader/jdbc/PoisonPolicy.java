package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts how often the database rejected each key and, once a key has used up its attempts, moves
 * the entry to the dead-letter table, so one poison entry never blocks the writes queued behind it.
 * Counts live in memory: after a member restart a poison entry gets its attempts again, which
 * delays it but never loses it. Logs name keys (cut short) and error codes, never values.
 */
public final class PoisonPolicy {

    private static final Logger log = LoggerFactory.getLogger(PoisonPolicy.class);

    private final String mapName;
    private final int maxAttempts;
    private final DeadLetters deadLetters;
    private final MapStoreMetrics metrics;
    private final Map<Object, Integer> attempts = new ConcurrentHashMap<>();

    public PoisonPolicy(String mapName, int maxAttempts, DeadLetters deadLetters, MapStoreMetrics metrics) {
        this.mapName = mapName;
        this.maxAttempts = maxAttempts;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** The key reached the table (or was deleted): its count starts over. */
    public void written(Object key) {
        attempts.remove(key);
    }

    /**
     * Counts a rejection of {@code key} (with {@code value}, null for a delete).
     *
     * @return true when the entry used up its attempts and is now in the dead-letter table: it must
     *         leave the queue; false when it has attempts left and stays queued
     * @throws SQLException if the dead-letter table could not be written; the entry then stays queued
     */
    public boolean rejected(Object key, Object value, Throwable error) throws SQLException {
        int attempt = attempts.merge(key, 1, Integer::sum);
        if (attempt < maxAttempts) {
            log.warn("map '{}': attempt {} of {} to {} key {} was rejected: {}", mapName, attempt, maxAttempts,
                    value == null ? "delete" : "store", MapTable.describeKey(key), FailureClassifier.describeSafely(error));
            return false;
        }
        return deadLetter(key, value, error, attempt);
    }

    /** Parks the entry at once, whatever its count: used when there is no later attempt (the member is stopping). */
    public boolean deadLetterNow(Object key, Object value, Throwable error) throws SQLException {
        return deadLetter(key, value, error, attempts.getOrDefault(key, 0) + 1);
    }

    private boolean deadLetter(Object key, Object value, Throwable error, int attempt) throws SQLException {
        deadLetters.record(key, value, FailureClassifier.describe(error), attempt);
        attempts.remove(key);
        metrics.deadLettered();
        log.error("map '{}': key {} moved to the dead-letter table {} after {} attempt(s): {}", mapName,
                MapTable.describeKey(key), DeadLetters.TABLE, attempt, FailureClassifier.describeSafely(error));
        return true;
    }
}
