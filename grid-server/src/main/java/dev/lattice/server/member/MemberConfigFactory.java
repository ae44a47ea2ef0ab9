package dev.lattice.server.member;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.config.YamlConfigBuilder;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperty;
import dev.lattice.server.config.DiscoveryProperties;
import dev.lattice.server.config.FailureDetectionProperties;
import dev.lattice.server.config.InvalidationProperties;
import dev.lattice.server.config.LatticeProperties;
import dev.lattice.server.config.MapProperties;
import dev.lattice.server.config.NetworkProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.Resource;

/**
 * Turns {@link LatticeProperties} into a Hazelcast member {@link Config}. Plain Java, so tests
 * can start members with exactly the configuration a grid node would use.
 */
public final class MemberConfigFactory {

    /** Name of the split-brain protection rule Lattice puts on every map. */
    public static final String SPLIT_BRAIN_PROTECTION = "lattice-minimum-cluster-size";

    private final LatticeProperties properties;

    public MemberConfigFactory(LatticeProperties properties) {
        this.properties = properties;
    }

    /** Builds the config: the optional Hazelcast file first, then every typed setting on top. */
    public Config create() {
        Config config = baseConfig();
        applyIdentity(config);
        applySafeDefaults(config);
        applyNetwork(config);
        applyDiscovery(config);
        applyFailureDetection(config);
        applyShutdown(config);
        applyInvalidation(config);
        applyMaps(config);
        applySplitBrainProtection(config);
        return config;
    }

    private Config baseConfig() {
        Resource file = properties.getConfigFile();
        if (file == null) {
            return new Config();
        }
        String name = String.valueOf(file.getFilename()).toLowerCase(Locale.ROOT);
        try (InputStream in = file.getInputStream()) {
            return name.endsWith(".xml") ? new XmlConfigBuilder(in).build() : new YamlConfigBuilder(in).build();
        } catch (IOException e) {
            throw new UncheckedIOException("lattice.config-file: cannot read " + file.getDescription(), e);
        }
    }

    private void applyIdentity(Config config) {
        config.setClusterName(properties.getClusterName());
        set(config, ClusterProperty.PARTITION_COUNT, properties.getPartitionCount());
        set(config, ClusterProperty.INITIAL_MIN_CLUSTER_SIZE, properties.getInitialMinClusterSize());
    }

    /** Nothing a node exposes by default should surprise an operator. */
    private static void applySafeDefaults(Config config) {
        set(config, ClusterProperty.PHONE_HOME_ENABLED, false);
        // Spring owns shutdown: Hazelcast's own JVM hook could stop the member before Spring's
        // graceful shutdown runs, so partitions would not migrate (see NOTES.md).
        set(config, ClusterProperty.SHUTDOWNHOOK_ENABLED, false);
        set(config, ClusterProperty.LOGGING_TYPE, "slf4j");
        NetworkConfig network = config.getNetworkConfig();
        network.getRestApiConfig().setEnabled(false);
        network.getMemcacheProtocolConfig().setEnabled(false);
    }

    private void applyNetwork(Config config) {
        NetworkProperties settings = properties.getNetwork();
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.getPort())
                .setPortAutoIncrement(settings.isPortAutoIncrement())
                .setPortCount(settings.getPortCount());
        network.getInterfaces().setEnabled(true).setInterfaces(new ArrayList<>(settings.getInterfaces()));
        // Hazelcast binds 0.0.0.0 unless told otherwise, whatever interface it advertises.
        set(config, ClusterProperty.SOCKET_BIND_ANY, settings.isBindAny());
        if (settings.getPublicAddress() != null && !settings.getPublicAddress().isBlank()) {
            network.setPublicAddress(settings.getPublicAddress());
        }
    }

    private void applyDiscovery(Config config) {
        DiscoveryProperties discovery = properties.getDiscovery();
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        switch (discovery.getMode()) {
            case TCP_IP -> join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(discovery.getMembers()));
            case KUBERNETES -> {
                join.getTcpIpConfig().setEnabled(false);
                join.getKubernetesConfig().setEnabled(true)
                        .setProperty("service-dns", discovery.getServiceDns())
                        .setProperty("service-dns-timeout", String.valueOf(Math.max(1, discovery.getServiceDnsTimeout().toSeconds())));
            }
            default -> throw new IllegalStateException("unhandled discovery mode " + discovery.getMode());
        }
    }

    private void applyFailureDetection(Config config) {
        FailureDetectionProperties detection = properties.getFailureDetection();
        set(config, ClusterProperty.HEARTBEAT_INTERVAL_SECONDS, detection.getHeartbeatInterval().toSeconds());
        set(config, ClusterProperty.MAX_NO_HEARTBEAT_SECONDS, detection.getMaxNoHeartbeat().toSeconds());
        // A write whose backups never confirm it fails instead of succeeding: otherwise a member that
        // wakes from a pause after the cluster removed it acknowledges writes nobody else holds.
        set(config, ClusterProperty.FAIL_ON_INDETERMINATE_OPERATION_STATE, true);
        set(config, ClusterProperty.OPERATION_BACKUP_TIMEOUT_MILLIS, 3_000);
        // Two sides of a healed network partition, or pods that started apart, merge after 30 s rather
        // than Hazelcast's 300 s (first) and 120 s (later) checks.
        set(config, ClusterProperty.MERGE_FIRST_RUN_DELAY_SECONDS, 30);
        set(config, ClusterProperty.MERGE_NEXT_RUN_DELAY_SECONDS, 30);
    }

    private void applyShutdown(Config config) {
        set(config, ClusterProperty.GRACEFUL_SHUTDOWN_MAX_WAIT, Math.max(1, properties.getShutdown().getTimeout().toSeconds()));
    }

    private void applyInvalidation(Config config) {
        InvalidationProperties invalidation = properties.getInvalidation();
        set(config, ClusterProperty.MAP_INVALIDATION_MESSAGE_BATCH_ENABLED, invalidation.isBatchEnabled());
        set(config, ClusterProperty.MAP_INVALIDATION_MESSAGE_BATCH_SIZE, invalidation.getBatchSize());
        set(config, ClusterProperty.MAP_INVALIDATION_MESSAGE_BATCH_FREQUENCY_SECONDS, invalidation.getBatchFrequency().toSeconds());
        set(config, ClusterProperty.CACHE_INVALIDATION_MESSAGE_BATCH_ENABLED, invalidation.isBatchEnabled());
        set(config, ClusterProperty.CACHE_INVALIDATION_MESSAGE_BATCH_SIZE, invalidation.getBatchSize());
        set(config, ClusterProperty.CACHE_INVALIDATION_MESSAGE_BATCH_FREQUENCY_SECONDS, invalidation.getBatchFrequency().toSeconds());
    }

    private void applyMaps(Config config) {
        for (Map.Entry<String, MapProperties> entry : properties.getMaps().entrySet()) {
            MapConfig map = config.getMapConfigs().getOrDefault(entry.getKey(), new MapConfig(entry.getKey()));
            applyMap(entry.getValue(), map);
            config.addMapConfig(map);
        }
    }

    /**
     * Below the minimum cluster size a member refuses writes (reads still work): a member cut off
     * from the majority must not take writes the majority never sees. Applied to every map config,
     * including the default that unnamed maps inherit.
     */
    private void applySplitBrainProtection(Config config) {
        int minimum = properties.getSplitBrainProtection().effectiveMinimumClusterSize(properties.getInitialMinClusterSize());
        if (minimum <= 1) {
            return;
        }
        config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION, true, minimum)
                .setProtectOn(SplitBrainProtectionOn.WRITE));
        config.getMapConfig("default");
        config.getMapConfigs().values().forEach(map -> map.setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION));
    }

    static void applyMap(MapProperties settings, MapConfig map) {
        map.setBackupCount(settings.getBackupCount())
                .setAsyncBackupCount(settings.getAsyncBackupCount())
                .setTimeToLiveSeconds((int) settings.getTimeToLive().toSeconds())
                .setMaxIdleSeconds((int) settings.getMaxIdle().toSeconds())
                .setInMemoryFormat(settings.getInMemoryFormat())
                .setReadBackupData(settings.isReadBackupData())
                .setStatisticsEnabled(settings.isStatisticsEnabled());
        MapProperties.Eviction eviction = settings.getEviction();
        map.setEvictionConfig(new EvictionConfig()
                .setEvictionPolicy(eviction.getPolicy())
                .setMaxSizePolicy(eviction.getMaxSizePolicy())
                .setSize(eviction.getSize()));
    }

    private static void set(Config config, HazelcastProperty property, Object value) {
        config.setProperty(property.getName(), String.valueOf(value));
    }
}
