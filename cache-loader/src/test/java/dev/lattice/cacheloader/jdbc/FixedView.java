package dev.lattice.cacheloader.jdbc;

import java.util.UUID;

/**
 * A member's partition table as far as the fence cares, fixed for a test: the member owns every
 * partition, all at one version, and every key is in {@code partition}. Fixed views make a
 * conflict between members (or between a member's own threads) exact.
 */
public record FixedView(UUID clusterId, UUID memberId, int version, int partition, int partitionCount) implements Ownership {

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

    @Override
    public boolean hearsMinimum() {
        return true;
    }
}
