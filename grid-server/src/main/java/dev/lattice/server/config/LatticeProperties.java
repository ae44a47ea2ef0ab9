package dev.lattice.server.config;

import dev.lattice.server.extensions.ExtensionsProperties;
import dev.lattice.server.persistence.StoreSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Everything a grid node is configured with, under {@code lattice.*}. Unknown keys under the
 * prefix fail startup, so a typo never silently falls back to a default.
 *
 * <p>Values are checked by {@link #validate(Object, Errors)}, which Spring Boot calls while
 * binding because this class is a {@link Validator} of itself. Each problem is reported with the
 * property name as written in configuration and the rejected value, and all of them at once.
 */
@ConfigurationProperties(prefix = "lattice", ignoreUnknownFields = false)
public class LatticeProperties implements Validator {

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
    private final NetworkProperties network = new NetworkProperties();

    /** How members find each other ({@code lattice.discovery.*}). */
    private final DiscoveryProperties discovery = new DiscoveryProperties();

    /** How fast a silent member is removed ({@code lattice.failure-detection.*}). */
    private final FailureDetectionProperties failureDetection = new FailureDetectionProperties();

    /** Graceful shutdown ({@code lattice.shutdown.*}). */
    private final ShutdownProperties shutdown = new ShutdownProperties();

    /** Near-cache invalidation batching ({@code lattice.invalidation.*}). */
    private final InvalidationProperties invalidation = new InvalidationProperties();

    /** Members needed to write ({@code lattice.split-brain-protection.*}). */
    private final SplitBrainProtectionProperties splitBrainProtection = new SplitBrainProtectionProperties();

    /** The database behind maps with a {@code store}; embedded PostgreSQL when no URL is set. */
    private final DatasourceProperties datasource = new DatasourceProperties();

    /** Application classes the member can load ({@code lattice.extensions.*}). */
    private final ExtensionsProperties extensions = new ExtensionsProperties();

    /**
     * Maps by name. The name {@code default} configures Hazelcast's default map config, which
     * every map without its own entry inherits. Default: only {@code default}, with the
     * defaults of {@link MapProperties}.
     */
    private final Map<String, MapProperties> maps = new LinkedHashMap<>();

    @Override
    public boolean supports(Class<?> clazz) {
        return LatticeProperties.class.isAssignableFrom(clazz);
    }

    @Override
    public void validate(Object target, Errors errors) {
        LatticeProperties properties = (LatticeProperties) target;
        InvalidProperties invalid = new InvalidProperties(errors);
        if (properties.clusterName == null || properties.clusterName.isBlank()) {
            invalid.reject("lattice.cluster-name", properties.clusterName, "must not be blank");
        }
        invalid.range("lattice.partition-count", properties.partitionCount, 1, 10_000);
        invalid.range("lattice.initial-min-cluster-size", properties.initialMinClusterSize, 1, 1_000);
        properties.network.validate("lattice.network", invalid);
        properties.discovery.validate("lattice.discovery", invalid);
        properties.failureDetection.validate("lattice.failure-detection", invalid);
        properties.splitBrainProtection.validate("lattice.split-brain-protection", invalid);
        properties.invalidation.validate("lattice.invalidation", invalid);
        invalid.wholeSeconds("lattice.shutdown.timeout", properties.shutdown.getTimeout(), 1);
        properties.maps.forEach((name, map) -> map.validate("lattice.maps." + name, invalid));
        properties.maps.forEach((name, map) -> validateStore(name, map.getStore(), invalid));
        invalid.wholeSeconds("lattice.datasource.startup-timeout", properties.datasource.getStartupTimeout(), 0);
        check(invalid, "lattice.extensions.dir", properties.extensions.getDir(), properties.extensions::check);
        if (properties.datasource.getUrl() != null && !properties.datasource.getUrl().isBlank()) {
            // Only the URL's address is echoed: its query string may carry a password.
            String url = properties.datasource.getUrl().replaceFirst("\\?.*", "?...");
            check(invalid, "lattice.datasource", url, () -> StoreSettings.of(properties.datasource));
        }
    }

    private static void validateStore(String name, StoreProperties store, InvalidProperties invalid) {
        if (store.isEnabled()) {
            check(invalid, "lattice.maps." + name + ".store", store.getMode(), () -> StoreSettings.of(name, store));
        }
    }

    /** cache-loader checks its own settings; this reports its verdict under the property that was set. */
    private static void check(InvalidProperties invalid, String property, Object value, Runnable conversion) {
        try {
            conversion.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            invalid.reject(property, value, e.getMessage());
        }
    }

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

    public Map<String, MapProperties> getMaps() {
        return maps;
    }

}
