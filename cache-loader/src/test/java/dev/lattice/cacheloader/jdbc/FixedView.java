package dev.lattice.cacheloader.jdbc;

import java.util.UUID;

/**
 * A member's partition table as far as the fence cares, fixed for a test: the member owns every
 * partition, all at one version, and every key is in {@code partition}. Fixed views make a
 * conflict between members (or between a member's own threads) exact. It lists three members.
 */
public record FixedView(UUID clusterId, UUID memberId, int version, int partition, int partitionCount, boolean hearsMinimum)
        implements Ownership {

    /** A member that hears from every member it lists. */
    public FixedView(UUID clusterId, UUID memberId, int version, int partition, int partitionCount) {
        this(clusterId, memberId, version, partition, partitionCount, true);
    }

    @Override
    public int partitionVersion(int partitionId) {
        return version;
    }

    @Override
    public boolean owns(int partitionId) {
        return true;
    }

    @Override
    public int partitionOf(Object key) {
        return partition;
    }

    @Override
    public int clusterSize() {
        return 3;
    }
}
