package dev.lattice.server.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.core.io.Resource;

/**
 * Everything a grid node is configured with, under {@code lattice.*}. Unknown keys under the
 * prefix fail startup, so a typo never silently falls back to a default.
 *
 * <p>This class only holds what was bound. {@link GridSettingsMapper} turns it, once at startup,
 * into the validated {@link GridSettings} the node runs on, reporting every problem at once with
 * the property name and the value as typed.
 */
@ConfigurationProperties(prefix = "lattice", ignoreUnknownFields = false)
public class LatticeProperties {

    /** Name of the cluster this member joins; members with different names never merge. Default {@code lattice}. */
    private String clusterName = "lattice";

    /**
     * Optional Hazelcast YAML or XML file loaded first; the typed {@code lattice.*} settings
     * are then applied on top of it and win where both set the same thing. Default: none.
     */
    private Resource configFile;

    /** Number of partitions the data is split into. Must match on every member. Default 271 (Hazelcast's). */
    private int partitionCount = 271;

    /**
     * Members the cluster waits for before it is ready; with fewer, readiness stays down. Set to
     * the expected member count on Kubernetes so pods started together form one cluster.
     * Default 1.
     */
    private int initialMinClusterSize = 1;

    /** Where the member listens ({@code lattice.network.*}). */
    @NestedConfigurationProperty
    private final NetworkProperties network = new NetworkProperties();

    /** How members find each other ({@code lattice.discovery.*}). */
    @NestedConfigurationProperty
    private final DiscoveryProperties discovery = new DiscoveryProperties();

    /** How fast a silent member is removed ({@code lattice.failure-detection.*}). */
    @NestedConfigurationProperty
    private final FailureDetectionProperties failureDetection = new FailureDetectionProperties();

    /** Graceful shutdown ({@code lattice.shutdown.*}). */
    @NestedConfigurationProperty
    private final ShutdownProperties shutdown = new ShutdownProperties();

    /** Near-cache invalidation batching ({@code lattice.invalidation.*}). */
    @NestedConfigurationProperty
    private final InvalidationProperties invalidation = new InvalidationProperties();

    /** Members needed to write ({@code lattice.split-brain-protection.*}). */
    @NestedConfigurationProperty
    private final SplitBrainProtectionProperties splitBrainProtection = new SplitBrainProtectionProperties();

    /** The database behind maps with a {@code store}; embedded PostgreSQL when no URL is set. */
    @NestedConfigurationProperty
    private final DatasourceProperties datasource = new DatasourceProperties();

    /** Application classes the member can load ({@code lattice.extensions.*}). */
    @NestedConfigurationProperty
    private final ExtensionsProperties extensions = new ExtensionsProperties();

    /** Which classes members may deserialize ({@code lattice.serialization.*}). */
    @NestedConfigurationProperty
    private final SerializationProperties serialization = new SerializationProperties();

    /** The operator's credential for the actuator's operations ({@code lattice.admin.*}). */
    @NestedConfigurationProperty
    private final AdminProperties admin = new AdminProperties();

    /**
     * Maps by name. Every key set under {@code default} applies to every map (those named here,
     * those of {@code config-file}, and those created at run time); a key set under a map's own
     * name wins over it. Keys nobody set keep the config file's value, else Hazelcast's default.
     * Default: none.
     */
    private final Map<String, MapProperties> maps = new LinkedHashMap<>();

    public String getClusterName() {
        return clusterName;
    }

    public void setClusterName(String clusterName) {
        this.clusterName = clusterName;
    }

    public Resource getConfigFile() {
        return configFile;
    }

    public void setConfigFile(Resource configFile) {
        this.configFile = configFile;
    }

    public int getPartitionCount() {
        return partitionCount;
    }

    public void setPartitionCount(int partitionCount) {
        this.partitionCount = partitionCount;
    }

    public int getInitialMinClusterSize() {
        return initialMinClusterSize;
    }

    public void setInitialMinClusterSize(int initialMinClusterSize) {
        this.initialMinClusterSize = initialMinClusterSize;
    }

    public NetworkProperties getNetwork() {
        return network;
    }

    public DiscoveryProperties getDiscovery() {
        return discovery;
    }

    public FailureDetectionProperties getFailureDetection() {
        return failureDetection;
    }

    public ShutdownProperties getShutdown() {
        return shutdown;
    }

    public SplitBrainProtectionProperties getSplitBrainProtection() {
        return splitBrainProtection;
    }

    public DatasourceProperties getDatasource() {
        return datasource;
    }

    public InvalidationProperties getInvalidation() {
        return invalidation;
    }

    public ExtensionsProperties getExtensions() {
        return extensions;
    }

    public SerializationProperties getSerialization() {
        return serialization;
    }

    public AdminProperties getAdmin() {
        return admin;
    }

    public Map<String, MapProperties> getMaps() {
        return maps;
    }

}
