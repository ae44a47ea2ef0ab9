package dev.lattice.cacheloader.jdbc;

import com.hazelcast.spi.exception.RetryableHazelcastException;

/**
 * Thrown to Hazelcast by a write-through store when the fence refused every unwritten entry
 * because its partition now belongs to another member: the partition moved while the call waited
 * on the database, and the new owner has claimed it. Nothing of the call was written, so, as when
 * the step after a store finds the partition gone, Hazelcast runs the call again on the new owner
 * (it retries retryable failures) instead of failing a caller over a migration.
 */
public final class PartitionMovedException extends RetryableHazelcastException {

    private static final long serialVersionUID = 1L;

    public PartitionMovedException(String message) {
        super(message);
    }
}
