package dev.lattice.cacheloader.config;

/** How a map writes to its table. */
public enum StoreMode {
    /** Misses are loaded from the table; the map never writes to it. */
    READ_THROUGH,
    /** Every write reaches the table before the caller's operation returns. */
    WRITE_THROUGH,
    /** Writes are queued, replicated to backups, and stored in batches after the write delay. */
    WRITE_BEHIND
}
