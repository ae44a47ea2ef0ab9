package dev.lattice.cacheloader.writebehind;

import java.util.Map;

/**
 * A map store that takes a write-through {@code putAll}'s entries of one partition at once
 * ({@link BatchStoredPutAllOperation}). Hazelcast itself stores a write-through {@code putAll} entry
 * by entry, so an entry the database refuses fails the operation after the entries before it were
 * stored: those rows then hold the new values while the grid keeps the old ones, as the operation
 * failed. Storing the partition's entries all or nothing leaves table and grid agreeing.
 */
public interface BatchStoring {

    /**
     * Stores every entry of {@code entries} (one partition's) in one transaction, or none: throws,
     * naming the refused entries, with every entry left in the argument.
     */
    void storeAllOrNothing(Map<Object, Object> entries);
}
