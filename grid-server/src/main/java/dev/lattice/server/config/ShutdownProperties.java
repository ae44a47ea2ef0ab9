package dev.lattice.server.config;

import java.time.Duration;

/** Graceful shutdown on SIGTERM. */
public class ShutdownProperties {

    /**
     * Longest a shutting-down member waits for its partitions to migrate to the others.
     * Keep it below Kubernetes' {@code terminationGracePeriodSeconds}. Default 120s.
     */
    private Duration timeout = Duration.ofSeconds(120);

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }
}
