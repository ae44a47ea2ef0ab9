package dev.lattice.client;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ConnectionRetryConfig;
import com.hazelcast.client.properties.ClientProperty;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds a {@link LatticeClient}; get one from {@link LatticeClient#builder()}. Each method checks
 * its argument at once; {@link #toClientConfig()} checks the combinations.
 *
 * <p>Defaults: address {@code 127.0.0.1:5701}, cluster name {@code lattice} (a grid node's), heartbeat
 * timeout 6 s with a heartbeat every 2 s (Hazelcast's 60 s leaves a hung member's calls hanging
 * for a minute; 6 s with the nodes' 6 s failure detection keeps a call on a hung member's
 * partition under 10 s), reconnect backoff from 1 s to 30 s by a factor of 1.05 without jitter,
 * retrying forever, phone-home off, and writes not resent when their connection drops (see
 * {@link #redoOperation(boolean)}).
 *
 * <p>A write whose backups do not confirm it in time fails with Hazelcast's
 * {@code IndeterminateOperationStateException} instead of succeeding silently: the write may or may
 * not have been applied, so retry it (idempotent writes such as {@code set} are safe to repeat).
 * Without this, a member that wakes up from a long pause after the cluster removed it would
 * acknowledge writes nobody else holds.
 */
public final class LatticeClientBuilder {

    /** The heartbeat timeout Lattice uses instead of Hazelcast's 60 s. */
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(6);
    /** How often the client sends a heartbeat on an idle connection (Hazelcast: 5 s, too close to the timeout). */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    /** How long a write waits for its backups' acknowledgements before it fails as indeterminate (Hazelcast: 5 s). */
    static final Duration BACKUP_TIMEOUT = Duration.ofSeconds(3);
    public static final String DEFAULT_ADDRESS = "127.0.0.1:5701";
    public static final String DEFAULT_CLUSTER_NAME = "lattice";

    private List<String> addresses = List.of(DEFAULT_ADDRESS);
    private String clusterName = DEFAULT_CLUSTER_NAME;
    private String instanceName;
    private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private double backoffMultiplier = 1.05;
    private double jitter;
    private Duration clusterConnectTimeout;
    private boolean redoOperation = false;
    private final Map<String, NearCacheOptions> nearCaches = new LinkedHashMap<>();
    private final List<Consumer<ClientConfig>> customizers = new ArrayList<>();

    LatticeClientBuilder() {
    }

    /**
     * Member addresses as {@code host:port} ({@code [ipv6]:port}); the client finds the rest of the
     * cluster itself. When it leaves a member cut off from the majority it reconnects through these
     * only: list every node, or a name that resolves to all of them.
     */
    public LatticeClientBuilder addresses(Collection<String> addresses) {
        Objects.requireNonNull(addresses, "addresses");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("addresses must name at least one member as host:port");
        }
        this.addresses = addresses.stream().map(Addresses::check).toList();
        return this;
    }

    public LatticeClientBuilder addresses(String... addresses) {
        return addresses(List.of(addresses));
    }

    /** The cluster to join; members refuse clients whose cluster name differs. */
    public LatticeClientBuilder clusterName(String clusterName) {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("cluster-name must not be empty, was '" + clusterName + "'");
        }
        this.clusterName = clusterName;
        return this;
    }

    /** The client's instance name; by default Hazelcast makes a unique one. */
    public LatticeClientBuilder instanceName(String instanceName) {
        if (instanceName != null && instanceName.isBlank()) {
            throw new IllegalArgumentException("instance-name must not be blank, was '" + instanceName + "'");
        }
        this.instanceName = instanceName;
        return this;
    }

    /** How long a silent connection is trusted before the client drops it (default {@link #DEFAULT_HEARTBEAT_TIMEOUT}, 6 s). */
    public LatticeClientBuilder heartbeatTimeout(Duration heartbeatTimeout) {
        Durations.positive("heartbeat-timeout", heartbeatTimeout);
        Durations.millis("heartbeat-timeout", heartbeatTimeout);
        this.heartbeatTimeout = heartbeatTimeout;
        return this;
    }

    /** The first wait before reconnecting (default 1 s). */
    public LatticeClientBuilder initialBackoff(Duration initialBackoff) {
        Durations.millis("initial-backoff", initialBackoff);
        this.initialBackoff = initialBackoff;
        return this;
    }

    /** The longest wait between reconnect attempts (default 30 s); not less than the initial backoff. */
    public LatticeClientBuilder maxBackoff(Duration maxBackoff) {
        Durations.millis("max-backoff", maxBackoff);
        this.maxBackoff = maxBackoff;
        return this;
    }

    /** How much each wait grows over the one before (default 1.05); at least 1. */
    public LatticeClientBuilder backoffMultiplier(double multiplier) {
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
        }
        this.backoffMultiplier = multiplier;
        return this;
    }

    /** Random spread of each wait, 0 to 1 (default 0), so restarted clients do not reconnect in step. */
    public LatticeClientBuilder jitter(double jitter) {
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        this.jitter = jitter;
        return this;
    }

    /**
     * How long the client keeps trying to reach the cluster, at start and after losing it, before
     * it gives up and shuts down; {@code null} (default) retries forever, Hazelcast's behaviour,
     * because a client that gave up stays down even when the cluster comes back.
     */
    public LatticeClientBuilder clusterConnectTimeout(Duration clusterConnectTimeout) {
        if (clusterConnectTimeout != null) {
            Durations.positive("cluster-connect-timeout", clusterConnectTimeout);
            Durations.millis("cluster-connect-timeout", clusterConnectTimeout);
        }
        this.clusterConnectTimeout = clusterConnectTimeout;
        return this;
    }

    /**
     * Resend a call whose connection closed before its answer arrived (default false). Off, such a
     * write fails with {@code TargetDisconnectedException} and the application decides whether to
     * repeat it; reads, which Hazelcast marks safe to repeat, are resent either way. On, the write
     * is resent after reconnecting and may run twice: a second {@code set} or {@code delete} ends in
     * the same state, but it is wrong for calls that return or depend on the old value ({@code put}, {@code remove(key)},
     * {@code putIfAbsent}, {@code replace}, entry processors, JCache {@code getAndPut}, {@code invoke}),
     * and a late resend can overwrite a newer write from another client.
     */
    public LatticeClientBuilder redoOperation(boolean redoOperation) {
        this.redoOperation = redoOperation;
        return this;
    }

    /**
     * Keeps a near cache for {@code mapName}, which may be a pattern with one {@code *}. A second
     * call for the same name replaces the first.
     */
    public LatticeClientBuilder nearCache(String mapName, NearCacheOptions options) {
        if (mapName == null || mapName.isBlank()) {
            throw new IllegalArgumentException("near cache map name must not be empty, was '" + mapName + "'");
        }
        nearCaches.put(mapName, Objects.requireNonNull(options, "options"));
        return this;
    }

    /** Changes the Hazelcast config after Lattice's settings; for anything this builder has no method for. */
    public LatticeClientBuilder customize(Consumer<ClientConfig> customizer) {
        customizers.add(Objects.requireNonNull(customizer, "customizer"));
        return this;
    }

    /**
     * The Hazelcast client config these settings make, customizers applied last.
     *
     * @throws IllegalArgumentException when max-backoff is less than initial-backoff
     */
    public ClientConfig toClientConfig() {
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("max-backoff (" + maxBackoff + ") can not be less than initial-backoff ("
                    + initialBackoff + ")");
        }
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        if (instanceName != null) {
            config.setInstanceName(instanceName);
        }
        config.getNetworkConfig().setAddresses(new ArrayList<>(addresses)).setRedoOperation(redoOperation);
        config.setProperty(ClientProperty.HEARTBEAT_TIMEOUT.getName(), Long.toString(heartbeatTimeout.toMillis()));
        config.setProperty(ClientProperty.HEARTBEAT_INTERVAL.getName(),
                Long.toString(Math.min(HEARTBEAT_INTERVAL.toMillis(), Math.max(1, heartbeatTimeout.toMillis() / 3))));
        config.setProperty(ClientProperty.FAIL_ON_INDETERMINATE_OPERATION_STATE.getName(), "true");
        // A retry that starts just before a hung member is removed waits one full backup timeout:
        // the nodes' 6 s failure detection plus 3 s keeps the worst call under 10 s.
        config.setProperty(ClientProperty.OPERATION_BACKUP_TIMEOUT_MILLIS.getName(), Long.toString(BACKUP_TIMEOUT.toMillis()));
        config.setProperty("hazelcast.phone.home.enabled", "false");
        ConnectionRetryConfig retry = config.getConnectionStrategyConfig().getConnectionRetryConfig();
        retry.setInitialBackoffMillis((int) initialBackoff.toMillis())
                .setMaxBackoffMillis((int) maxBackoff.toMillis())
                .setMultiplier(backoffMultiplier)
                .setJitter(jitter)
                .setClusterConnectTimeoutMillis(clusterConnectTimeout == null
                        ? ConnectionRetryConfig.DEFAULT_CLUSTER_CONNECT_TIMEOUT_MILLIS
                        : clusterConnectTimeout.toMillis());
        nearCaches.forEach((name, options) -> config.addNearCacheConfig(options.toNearCacheConfig(name)));
        customizers.forEach(customizer -> customizer.accept(config));
        return config;
    }

    /** Starts the client; returns once it is connected to the cluster. */
    public LatticeClient build() {
        ClientConfig config = toClientConfig();
        Set<String> fronted = fronted(config);
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        try {
            FrontedNearCacheManager.install(client, fronted);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
        return new LatticeClient(client, nearCaches);
    }

    /** The near caches with front=true that {@code config} still has after the customizers, checked. */
    private Set<String> fronted(ClientConfig config) {
        Set<String> fronted = new HashSet<>();
        nearCaches.forEach((name, options) -> {
            NearCacheConfig nearCache = config.getNearCacheConfigMap().get(name);
            if (options.front() && nearCache != null) {
                FrontedNearCacheManager.checkFrontable(nearCache);
                fronted.add(name);
            }
        });
        return fronted;
    }
}
