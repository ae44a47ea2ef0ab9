package dev.lattice.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.lattice.server.persistence.StoreSettings;
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
    private final Network network = new Network();
    private final Discovery discovery = new Discovery();
    private final FailureDetection failureDetection = new FailureDetection();
    private final Shutdown shutdown = new Shutdown();
    private final Invalidation invalidation = new Invalidation();

    /** The database behind maps with a {@code store}; embedded PostgreSQL when no URL is set. */
    private final DatasourceProperties datasource = new DatasourceProperties();

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
        properties.invalidation.validate("lattice.invalidation", invalid);
        invalid.wholeSeconds("lattice.shutdown.timeout", properties.shutdown.timeout, 1);
        properties.maps.forEach((name, map) -> map.validate("lattice.maps." + name, invalid));
        properties.maps.forEach((name, map) -> validateStore(name, map.getStore(), invalid));
        if (properties.datasource.getUrl() != null && !properties.datasource.getUrl().isBlank()) {
            check(invalid, "lattice.datasource", properties.datasource.getUrl(), () -> StoreSettings.of(properties.datasource));
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

    public Network getNetwork() {
        return network;
    }

    public Discovery getDiscovery() {
        return discovery;
    }

    public FailureDetection getFailureDetection() {
        return failureDetection;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }

    public DatasourceProperties getDatasource() {
        return datasource;
    }

    public Invalidation getInvalidation() {
        return invalidation;
    }

    public Map<String, MapProperties> getMaps() {
        return maps;
    }

    /** Where the member listens. */
    public static class Network {

        /**
         * Interfaces the member binds to and advertises (IPs or Hazelcast wildcards such as
         * {@code 10.0.*.*}). Default {@code 127.0.0.1}: a member is not reachable from other
         * machines until you say so.
         */
        private List<String> interfaces = new ArrayList<>(List.of("127.0.0.1"));

        /**
         * Bind to every interface (0.0.0.0) while still advertising the one matched by
         * {@link #interfaces}. Needed in containers, where the pod IP is not known in advance.
         * Default false.
         */
        private boolean bindAny;

        /** First port the member tries. Default 5701. */
        private int port = 5701;

        /** Try the next port when {@link #port} is taken, so two nodes can run on one machine. Default true. */
        private boolean portAutoIncrement = true;

        /** How many ports auto-increment may try, starting at {@link #port}. Default 100. */
        private int portCount = 100;

        /** Address other members and clients should use to reach this one (host:port), e.g. behind NAT. Default: none. */
        private String publicAddress;

        void validate(String path, InvalidProperties invalid) {
            if (interfaces == null || interfaces.isEmpty()) {
                invalid.reject(path + ".interfaces", interfaces, "must name at least one interface");
            }
            invalid.range(path + ".port", port, 1, 65535);
            invalid.range(path + ".port-count", portCount, 1, 65535 - port + 1);
        }

        public List<String> getInterfaces() {
            return interfaces;
        }

        public void setInterfaces(List<String> interfaces) {
            this.interfaces = interfaces;
        }

        public boolean isBindAny() {
            return bindAny;
        }

        public void setBindAny(boolean bindAny) {
            this.bindAny = bindAny;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public boolean isPortAutoIncrement() {
            return portAutoIncrement;
        }

        public void setPortAutoIncrement(boolean portAutoIncrement) {
            this.portAutoIncrement = portAutoIncrement;
        }

        public int getPortCount() {
            return portCount;
        }

        public void setPortCount(int portCount) {
            this.portCount = portCount;
        }

        public String getPublicAddress() {
            return publicAddress;
        }

        public void setPublicAddress(String publicAddress) {
            this.publicAddress = publicAddress;
        }
    }

    /** How members find each other. Multicast is never used: it leaks clusters across networks. */
    public static class Discovery {

        /** {@code tcp-ip} (a fixed member list) or {@code kubernetes} (DNS lookup of a headless service). Default {@code tcp-ip}. */
        private DiscoveryMode mode = DiscoveryMode.TCP_IP;

        /**
         * TCP/IP mode: members to contact, as {@code host} or {@code host:port}. A host without a
         * port is tried on the first three ports from {@code lattice.network.port}, so two nodes
         * on one machine find each other with no extra settings. Default {@code 127.0.0.1}.
         */
        private List<String> members = new ArrayList<>(List.of("127.0.0.1"));

        /** Kubernetes mode: DNS name of the headless service, e.g. {@code lattice.default.svc.cluster.local}. Default: none. */
        private String serviceDns;

        /** Kubernetes mode: how long to wait for the DNS lookup. Default 5s. */
        private Duration serviceDnsTimeout = Duration.ofSeconds(5);

        void validate(String path, InvalidProperties invalid) {
            if (mode == DiscoveryMode.TCP_IP && (members == null || members.isEmpty())) {
                invalid.reject(path + ".members", members, "tcp-ip discovery needs at least one member address");
            }
            if (mode == DiscoveryMode.KUBERNETES && (serviceDns == null || serviceDns.isBlank())) {
                invalid.reject(path + ".service-dns", serviceDns, "kubernetes discovery needs the headless service's DNS name");
            }
            invalid.wholeSeconds(path + ".service-dns-timeout", serviceDnsTimeout, 1);
        }

        public DiscoveryMode getMode() {
            return mode;
        }

        public void setMode(DiscoveryMode mode) {
            this.mode = mode;
        }

        public List<String> getMembers() {
            return members;
        }

        public void setMembers(List<String> members) {
            this.members = members;
        }

        public String getServiceDns() {
            return serviceDns;
        }

        public void setServiceDns(String serviceDns) {
            this.serviceDns = serviceDns;
        }

        public Duration getServiceDnsTimeout() {
            return serviceDnsTimeout;
        }

        public void setServiceDnsTimeout(Duration serviceDnsTimeout) {
            this.serviceDnsTimeout = serviceDnsTimeout;
        }
    }

    /** Supported discovery mechanisms. */
    public enum DiscoveryMode {
        TCP_IP, KUBERNETES
    }

    /**
     * How fast a hung member is declared dead. Hazelcast waits 60 s; Lattice waits 15 s. A
     * hung member holds its partitions hostage: every operation on them blocks until it is
     * removed, so 60 s is a minute of stalled writes. 15 s still rides out stop-the-world GC
     * pauses of several seconds, which is the usual cause of false suspicion.
     */
    public static class FailureDetection {

        /** How often members send heartbeats. Default 2s. */
        private Duration heartbeatInterval = Duration.ofSeconds(2);

        /** Silence after which a member is removed from the cluster. Default 15s. */
        private Duration maxNoHeartbeat = Duration.ofSeconds(15);

        void validate(String path, InvalidProperties invalid) {
            invalid.wholeSeconds(path + ".heartbeat-interval", heartbeatInterval, 1);
            invalid.wholeSeconds(path + ".max-no-heartbeat", maxNoHeartbeat, 1);
            if (heartbeatInterval != null && maxNoHeartbeat != null && maxNoHeartbeat.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
                invalid.reject(path + ".max-no-heartbeat", maxNoHeartbeat, "must be at least twice heartbeat-interval ("
                        + InvalidProperties.display(heartbeatInterval) + "), or one lost heartbeat removes a healthy member");
            }
        }

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
    }

    /** Graceful shutdown on SIGTERM. */
    public static class Shutdown {

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

    /**
     * Near-cache invalidations sent by members. Hazelcast batches them (100 entries or 10 s), so
     * a client's near cache may serve a stale value for up to 10 s; Lattice flushes every second.
     */
    public static class Invalidation {

        /** Send invalidations in batches rather than one by one. Default true. */
        private boolean batchEnabled = true;

        /** Invalidations that fill a batch. Default 100. */
        private int batchSize = 100;

        /** Longest a batch waits before it is sent; whole seconds, at least 1. Default 1s. */
        private Duration batchFrequency = Duration.ofSeconds(1);

        void validate(String path, InvalidProperties invalid) {
            invalid.range(path + ".batch-size", batchSize, 1, Integer.MAX_VALUE);
            invalid.wholeSeconds(path + ".batch-frequency", batchFrequency, 1);
        }

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
}
