package dev.lattice.cacheloader.writebehind;

import java.util.Collection;

/**
 * A store that clears a partition of a write-behind map itself ({@link StoredClearOperation}):
 * deletes every key the grid holds or has queued for it, then lets Hazelcast clear its memory and
 * queue, with no write of the store's own in between.
 */
public interface PartitionClearing {

    /**
     * Deletes {@code keys} from the table, then runs {@code clearInMemory}; throws, having run
     * nothing, if the keys could not be deleted (the clear then fails and nothing is cleared).
     */
    void clearPartition(Collection<Object> keys, Runnable clearInMemory);
}
