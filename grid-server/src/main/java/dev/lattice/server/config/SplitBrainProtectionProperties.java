package dev.lattice.server.config;

import java.time.Duration;

/**
 * How many members a member must see to accept writes and to take over partitions in a table
 * ({@code lattice.split-brain-protection.*}). A member cut off from the majority (a network
 * partition, or a long pause after which the others removed it) then refuses client writes and
 * never writes a partition the majority now owns, instead of racing the majority and losing
 * writes when the two sides merge.
 */
public class SplitBrainProtectionProperties {

    /**
     * Members needed; 1 turns the protection off. Default: a majority of
     * {@code lattice.initial-min-cluster-size} (2 of 3, 3 of 5), or 1 for a one-node grid. Scaling a
     * grid below this size makes it refuse writes: lower it first.
     */
    private Integer minimumClusterSize;

    /**
     * A member counts another toward the minimum only if it heard a heartbeat from it within this
     * long. A member cut off from the others keeps them in its member list until
     * {@code lattice.failure-detection.max-no-heartbeat}; counting them that long let a cut-off
     * master that had already removed one member accept writes with no backup (a 2 of 3 view).
     * More than {@code heartbeat-interval}, less than {@code max-no-heartbeat}. Default: half of
     * {@code max-no-heartbeat}, at least twice {@code heartbeat-interval} (3s with the defaults).
     */
    private Duration heartbeatTolerance;

    public Integer getMinimumClusterSize() {
        return minimumClusterSize;
    }

    public void setMinimumClusterSize(Integer minimumClusterSize) {
        this.minimumClusterSize = minimumClusterSize;
    }

    public Duration getHeartbeatTolerance() {
        return heartbeatTolerance;
    }

    public void setHeartbeatTolerance(Duration heartbeatTolerance) {
        this.heartbeatTolerance = heartbeatTolerance;
    }
}
