package dev.lattice.cacheloader.jdbc;

/**
 * A write saved to disk at shutdown, in the text forms the dead-letter table also uses.
 *
 * @param partition the key's partition
 * @param epoch the epoch the saving member held for the partition ({@link Fence}), or -1 if it held none
 * @param key the key's text ({@link dev.lattice.cacheloader.config.KeyType#toText})
 * @param value the value's text, or null for a delete
 */
public record SpooledWrite(int partition, long epoch, String key, String value) {
}
