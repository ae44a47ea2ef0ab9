package dev.lattice.cacheloader.jdbc;

import java.util.List;

/**
 * Where an eager load's one scan of the table puts the rows it reads: straight into the grid's
 * partitions, instead of streaming every key through Hazelcast's load protocol and reading every
 * value again per partition.
 */
public interface LoadTarget {

    /**
     * Takes one row. Blocks while too many rows are on their way to their partitions.
     *
     * @return false once the map turned out not to be in its initial load, or a partition failed: stop scanning
     */
    boolean add(Object key, Object value);

    /**
     * Waits until every row taken is in its partition (and its backups).
     *
     * @return the keys Hazelcast's own load must still load (those of the partition that streams
     *         the keys), or null if the map was not in its initial load, so that every key must go
     *         through Hazelcast's load
     * @throws IllegalStateException if a partition could not take its rows, naming the cause
     */
    List<Object> finish();
}
