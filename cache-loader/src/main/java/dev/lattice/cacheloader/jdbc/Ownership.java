package dev.lattice.cacheloader.jdbc;

import java.util.UUID;

/**
 * What this member believes about the cluster, as far as writing to a table goes. The belief can
 * be stale (a member paused past failure detection still believes it owns its partitions), which
 * is why every write is checked against the database's {@link Fence}.
 */
public interface Ownership {

    /** The cluster this member belongs to; a new one after a full cluster restart. */
    UUID clusterId();

    /** This member's identity; a new one after every start. */
    UUID memberId();

    /**
     * The version of the partition in this member's partition table. It grows with every change
     * of the partition's replicas, so a member that took over a partition after another one left
     * sees a higher version than the one that left.
     */
    int partitionVersion(int partitionId);

    /** Whether this member's partition table makes it the owner of the partition. */
    boolean owns(int partitionId);

    /** The partition a key belongs to. */
    int partitionOf(Object key);

    /** Partitions in the cluster. */
    int partitionCount();

    /** Members this member sees, itself included. */
    int clusterSize();

    /**
     * Whether the members this member has heard from lately meet the map's split-brain protection
     * (true when the map has none). A member cut off from the others still lists them until failure
     * detection removes them, one at a time, so its {@link #clusterSize} can meet the minimum while
     * it hears nobody.
     */
    boolean hearsMinimum();
}
