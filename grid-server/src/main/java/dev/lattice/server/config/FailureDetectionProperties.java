package dev.lattice.server.config;

import java.time.Duration;

/**
 * How fast a hung member is declared dead. Hazelcast waits 60 s; Lattice waits 6 s. A hung
 * member holds its partitions hostage: every operation on them blocks until it is removed, so
 * 60 s is a minute of stalled calls. With heartbeats every second, 6 s of silence keeps a
 * client's call on a hung member's partition under 10 s (removal, then promotion of the backups)
 * and still rides out stop-the-world GC pauses of a few seconds, the usual cause of false suspicion.
 * Raise it on machines that pause longer (big heaps, overcommitted hosts).
 */
public class FailureDetectionProperties {

    /** How often members send heartbeats. Default 1s. */
    private Duration heartbeatInterval = Duration.ofSeconds(1);

    /** Silence after which a member is removed from the cluster. Default 6s. */
    private Duration maxNoHeartbeat = Duration.ofSeconds(6);

    /**
     * Whether a member that did not run for max-no-heartbeat or longer (a long GC, a frozen VM),
     * and then finds members gone from its view, halts with exit code 75 so its supervisor starts
     * it again empty, instead of rejoining with stale data. Default true.
     */
    private boolean exitWhenLeftBehind = true;

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getMaxNoHeartbeat() {
        return maxNoHeartbeat;
    }

    public void setMaxNoHeartbeat(Duration maxNoHeartbeat) {
        this.maxNoHeartbeat = maxNoHeartbeat;
    }

    public boolean isExitWhenLeftBehind() {
        return exitWhenLeftBehind;
    }

    public void setExitWhenLeftBehind(boolean exitWhenLeftBehind) {
        this.exitWhenLeftBehind = exitWhenLeftBehind;
    }
}
