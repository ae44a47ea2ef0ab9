package dev.lattice.client.autoconfigure;

import dev.lattice.client.LatticeClientBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * "lattice.client.*": how the application's client reaches the grid. A field is null until it is
 * set, and only what is set reaches the builder: every default is {@link LatticeClientBuilder}'s (or
 * {@link dev.lattice.client.NearCacheOptions}'), stated there once; the defaults named below are
 * pinned to them by a test. Values are checked once, at startup, by {@code LatticeClientPropertiesMapper};
 * every bad one is listed with its property and the value as typed.
 */
@ConfigurationProperties("lattice.client")
public class LatticeClientProperties {

    /** Whether to start a Lattice client. Default: true. */
    private boolean enabled = true;

    /**
     * Member addresses as host:port ([ipv6]:port); list every node, or a name resolving to all: a
     * client leaving a member cut off from the majority reconnects through these. Default:
     * 127.0.0.1:5701.
     */
    private @Nullable List<String> addresses;

    /** The cluster to join; must match the members' cluster name. Default: lattice (a grid node's default). */
    private @Nullable String clusterName;

    /**
     * Resend a write whose connection dropped before its answer arrived; it may then run twice,
     * which is wrong for put, remove(key), putIfAbsent, replace and entry processors (reads are
     * resent either way). Default: false.
     */
    private @Nullable Boolean redoOperation;

    /** The client's instance name. Default: none, Hazelcast makes a unique one. */
    private @Nullable String instanceName;

    /**
     * How long a silent connection is trusted before the client drops it. Default: 6s
     * (Hazelcast's own default is 60 s).
     */
    private @Nullable Duration heartbeatTimeout;

    /** How the client reconnects. */
    private final ConnectionRetry connectionRetry = new ConnectionRetry();

    /**
     * Near caches by map name or pattern (lattice.client.near-cache.prices.time-to-live=5m;
     * a pattern needs brackets: "lattice.client.near-cache[prices-*].max-size=1000").
     * Default: none.
     */
    private final Map<String, LatticeNearCacheProperties> nearCache = new LinkedHashMap<>();

    public @Nullable Boolean getRedoOperation() {
        return redoOperation;
    }

    public void setRedoOperation(@Nullable Boolean redoOperation) {
        this.redoOperation = redoOperation;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getAddresses() {
        return addresses;
    }

    public void setAddresses(List<String> addresses) {
        this.addresses = addresses;
    }

    public String getClusterName() {
        return clusterName;
    }

    public void setClusterName(String clusterName) {
        this.clusterName = clusterName;
    }

    public String getInstanceName() {
        return instanceName;
    }

    public void setInstanceName(String instanceName) {
        this.instanceName = instanceName;
    }

    public Duration getHeartbeatTimeout() {
        return heartbeatTimeout;
    }

    public void setHeartbeatTimeout(Duration heartbeatTimeout) {
        this.heartbeatTimeout = heartbeatTimeout;
    }

    public ConnectionRetry getConnectionRetry() {
        return connectionRetry;
    }

    public Map<String, LatticeNearCacheProperties> getNearCache() {
        return nearCache;
    }

    /** "lattice.client.connection-retry.*": exponential backoff between connection attempts. */
    public static class ConnectionRetry {

        /** The first wait before reconnecting. Default: 1s. */
        private @Nullable Duration initialBackoff;

        /** The longest wait between attempts; not less than initial-backoff. Default: 30s. */
        private @Nullable Duration maxBackoff;

        /** How much each wait grows over the one before; at least 1. Default: 1.05. */
        private @Nullable Double multiplier;

        /** Random spread of each wait, 0 to 1. Default: 0. */
        private @Nullable Double jitter;

        /**
         * How long to keep trying before the client gives up and shuts down. Default: none, retry
         * forever (a client that gave up stays down even when the cluster comes back).
         */
        private @Nullable Duration clusterConnectTimeout;

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public @Nullable Double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(@Nullable Double multiplier) {
            this.multiplier = multiplier;
        }

        public @Nullable Double getJitter() {
            return jitter;
        }

        public void setJitter(@Nullable Double jitter) {
            this.jitter = jitter;
        }

        public Duration getClusterConnectTimeout() {
            return clusterConnectTimeout;
        }

        public void setClusterConnectTimeout(Duration clusterConnectTimeout) {
            this.clusterConnectTimeout = clusterConnectTimeout;
        }
    }
}
