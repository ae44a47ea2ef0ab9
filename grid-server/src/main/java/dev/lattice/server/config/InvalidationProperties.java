package dev.lattice.server.config;

import java.time.Duration;

/**
 * Near-cache invalidations sent by members. Hazelcast batches them (100 entries or 10 s), so
 * a client's near cache may serve a stale value for up to 10 s; Lattice flushes every second.
 */
public class InvalidationProperties {

    /** Send invalidations in batches rather than one by one. Default true. */
    private boolean batchEnabled = true;

    /** Invalidations that fill a batch. Default 100. */
    private int batchSize = 100;

    /** Longest a batch waits before it is sent; whole seconds, at least 1. Default 1s. */
    private Duration batchFrequency = Duration.ofSeconds(1);

    public boolean isBatchEnabled() {
        return batchEnabled;
    }

    public void setBatchEnabled(boolean batchEnabled) {
        this.batchEnabled = batchEnabled;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getBatchFrequency() {
        return batchFrequency;
    }

    public void setBatchFrequency(Duration batchFrequency) {
        this.batchFrequency = batchFrequency;
    }
}
