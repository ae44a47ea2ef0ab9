package dev.lattice.server.member;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.spi.properties.ClusterProperty;
import com.hazelcast.spi.properties.HazelcastProperty;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import dev.lattice.server.config.GridSettings;
import dev.lattice.server.config.HazelcastFile;
import dev.lattice.server.config.MapSettings;
import dev.lattice.server.merge.LostPartitionMark;
import dev.lattice.server.merge.LostPartitions;
import dev.lattice.server.merge.MergedPartitions;
import dev.lattice.server.merge.MajorityMergePolicy;
import java.util.ArrayList;

/**
 * Maps validated {@link GridSettings} onto a Hazelcast member {@link Config}: the config file
 * first, then every typed setting on top. Plain Java, so tests can start members with exactly the
 * configuration a grid node would use.
 */
public final class MemberConfigMapper {

    /** Name of the split-brain protection rule Lattice puts on every map. */
    public static final String SPLIT_BRAIN_PROTECTION = "lattice-minimum-cluster-size";

    /** The member attribute that tells clients the minimum cluster size (absent when there is none). */
    public static final String MINIMUM_CLUSTER_SIZE_ATTRIBUTE = "lattice.minimum-cluster-size";

    private final GridSettings settings;

    private MemberConfigMapper(GridSettings settings) {
        this.settings = settings;
    }

    /** A new member config: the optional Hazelcast file first, then every typed setting on top. */
    public static Config map(GridSettings settings) {
        return new MemberConfigMapper(settings).create();
    }

    private Config create() {
        Config config = HazelcastFile.load(settings.configFile());
        applyIdentity(config);
        applySafeDefaults(config);
        applyNetwork(config);
        applyDiscovery(config);
        applyFailureDetection(config);
        applyShutdown(config);
        applyInvalidation(config);
        applyMaps(config);
        applyMergePolicy(config);
        applySplitBrainProtection(config);
        return config;
    }

    private void applyIdentity(Config config) {
        config.setClusterName(settings.clusterName());
        set(config, ClusterProperty.PARTITION_COUNT, settings.partitionCount());
        set(config, ClusterProperty.INITIAL_MIN_CLUSTER_SIZE, settings.initialMinClusterSize());
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
        GridSettings.Network settings = this.settings.network();
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port())
                .setPortAutoIncrement(settings.portAutoIncrement())
                .setPortCount(settings.portCount());
        network.getInterfaces().setEnabled(true).setInterfaces(new ArrayList<>(settings.interfaces()));
        // Hazelcast binds 0.0.0.0 unless told otherwise, whatever interface it advertises.
        set(config, ClusterProperty.SOCKET_BIND_ANY, settings.bindAny());
        if (settings.publicAddress() != null) {
            network.setPublicAddress(settings.publicAddress());
        }
    }

    private void applyDiscovery(Config config) {
        GridSettings.Discovery discovery = settings.discovery();
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        switch (discovery.mode()) {
            case TCP_IP -> join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(discovery.members()));
            case KUBERNETES -> {
                join.getTcpIpConfig().setEnabled(false);
                KubernetesConfig kubernetes = join.getKubernetesConfig().setEnabled(true);
                if (discovery.serviceName() != null) {
                    kubernetes.setProperty("service-name", discovery.serviceName());
                    if (discovery.namespace() != null) {
                        kubernetes.setProperty("namespace", discovery.namespace());
                    }
                    // A pod is ready only once it has joined (readiness needs a safe cluster), so
                    // members must also find pods that are not ready yet, or the first pods never meet.
                    kubernetes.setProperty("resolve-not-ready-addresses", "true");
                } else {
                    kubernetes.setProperty("service-dns", discovery.serviceDns())
                            .setProperty("service-dns-timeout", String.valueOf(discovery.serviceDnsTimeout().toSeconds()));
                }
            }
        }
    }

    private void applyFailureDetection(Config config) {
        GridSettings.FailureDetection detection = settings.failureDetection();
        set(config, ClusterProperty.HEARTBEAT_INTERVAL_SECONDS, detection.heartbeatInterval().toSeconds());
        set(config, ClusterProperty.MAX_NO_HEARTBEAT_SECONDS, detection.maxNoHeartbeat().toSeconds());
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
        set(config, ClusterProperty.GRACEFUL_SHUTDOWN_MAX_WAIT, settings.shutdownTimeout().toSeconds());
    }

    private void applyInvalidation(Config config) {
        GridSettings.Invalidation invalidation = settings.invalidation();
        set(config, ClusterProperty.MAP_INVALIDATION_MESSAGE_BATCH_ENABLED, invalidation.batchEnabled());
        set(config, ClusterProperty.MAP_INVALIDATION_MESSAGE_BATCH_SIZE, invalidation.batchSize());
        set(config, ClusterProperty.MAP_INVALIDATION_MESSAGE_BATCH_FREQUENCY_SECONDS, invalidation.batchFrequency().toSeconds());
        set(config, ClusterProperty.CACHE_INVALIDATION_MESSAGE_BATCH_ENABLED, invalidation.batchEnabled());
        set(config, ClusterProperty.CACHE_INVALIDATION_MESSAGE_BATCH_SIZE, invalidation.batchSize());
        set(config, ClusterProperty.CACHE_INVALIDATION_MESSAGE_BATCH_FREQUENCY_SECONDS, invalidation.batchFrequency().toSeconds());
    }

    /**
     * Writes each map's resolved settings. A map the file names keeps its entry (indexes, listeners
     * and other untyped parts included); a map only the typed settings name starts as a copy of the
     * file entry its name matches (a wildcard, else {@code default}), so a pattern is never changed
     * on behalf of one of its maps.
     */
    private void applyMaps(Config config) {
        for (MapSettings map : settings.maps().values()) {
            MapConfig target = config.getMapConfigs().get(map.name());
            if (target == null) {
                MapConfig base = config.getMapConfigOrNull(map.name());
                target = new MapConfig(base != null ? base : config.getMapConfig("default")).setName(map.name());
                config.addMapConfig(target);
            }
            map.applyTo(target);
        }
    }

    /**
     * Merges keep the bigger side's deletions ({@link MajorityMergePolicy}) on every map that would
     * otherwise use Hazelcast's put-if-absent default; a policy the config file names is kept. The
     * marks of lost partitions it reads are kept as many times as the most-backed map's entries, and
     * the merging side's marks (its own losses) are discarded; a mark is removed once the partition
     * it marks has been merged.
     */
    private void applyMergePolicy(Config config) {
        config.getMapConfig("default");
        int mostBackups = 1;
        for (MapConfig map : config.getMapConfigs().values()) {
            MergePolicyConfig merge = map.getMergePolicyConfig();
            if (MergePolicyConfig.DEFAULT_MERGE_POLICY.equals(merge.getPolicy())) {
                merge.setPolicy(MajorityMergePolicy.class.getName());
            }
            mostBackups = Math.max(mostBackups, map.getTotalBackupCount());
        }
        config.addMapConfig(new MapConfig(LostPartitions.MAP).setBackupCount(Math.min(mostBackups, MapConfig.MAX_BACKUP_COUNT))
                .setMergePolicyConfig(new MergePolicyConfig(DiscardMergePolicy.class.getName(), MergePolicyConfig.DEFAULT_BATCH_SIZE)));
        config.getSerializationConfig().addDataSerializableFactory(LostPartitionMark.FACTORY_ID, LostPartitionMark.factory());
        config.addListenerConfig(new ListenerConfig(new LostPartitions(settings.minimumClusterSize())));
        config.addListenerConfig(new ListenerConfig(new MergedPartitions()));
    }

    /**
     * Below the minimum cluster size a member refuses writes (reads still work): a member cut off
     * from the majority must not take writes the majority never sees. Applied to every map config,
     * including the default that unnamed maps inherit.
     */
    private void applySplitBrainProtection(Config config) {
        int minimum = settings.minimumClusterSize();
        if (minimum <= 1) {
            return;
        }
        // Counts only members heard from lately, not every member still listed: a member cut off
        // from the others lists them until failure detection removes them (6 s), and a cut-off
        // master that had removed one of two (a 2 of 3 view) acknowledged writes with no backup,
        // which the merge then dropped (fault suite, partition scenario, seed 342).
        int toleranceMillis = Math.toIntExact(settings.failureDetection().heartbeatTolerance().toMillis());
        config.addSplitBrainProtectionConfig(SplitBrainProtectionConfig.newRecentlyActiveSplitBrainProtectionConfigBuilder(
                SPLIT_BRAIN_PROTECTION, minimum, toleranceMillis).enabled(true).build().setProtectOn(SplitBrainProtectionOn.WRITE));
        // Lattice clients read it: a client whose cluster view is smaller listens to a cut-off member
        // and reconnects elsewhere (grid-client's MinorityViewGuard).
        config.getMemberAttributeConfig().setAttribute(MINIMUM_CLUSTER_SIZE_ATTRIBUTE, String.valueOf(minimum));
        config.getMapConfig("default");
        // Not on the lost-partition marks: a side below the minimum records its losses too, so that
        // if the other side is ever merged into it, its lost partitions still take the other's entries.
        config.getMapConfigs().values().stream().filter(map -> !LostPartitions.MAP.equals(map.getName()))
                .forEach(map -> map.setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION));
    }

    private static void set(Config config, HazelcastProperty property, Object value) {
        config.setProperty(property.getName(), String.valueOf(value));
    }
}
