package dev.lattice.cacheloader.jdbc;

/**
 * Thrown to Hazelcast when entries could not be written. In write-behind mode Hazelcast keeps
 * every entry still in the argument of {@code storeAll}/{@code deleteAll} queued and retries it;
 * in write-through mode the caller's operation fails with this as the cause.
 */
public final class StoreFailedException extends RuntimeException {

    public StoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
