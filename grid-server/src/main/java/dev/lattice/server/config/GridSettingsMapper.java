package dev.lattice.server.config;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastException;
import dev.lattice.cacheloader.StoreEnvironment;
import dev.lattice.cacheloader.config.DataSourceSettings;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * The one translation from bound {@code lattice.*} properties to the validated {@link GridSettings}
 * a node runs on. It runs once at startup; every problem is collected and reported together, each
 * under the property that was typed and with the value as typed.
 */
public final class GridSettingsMapper {

    private final Problems problems;

    private GridSettingsMapper(Problems problems) {
        this.problems = problems;
    }

    /** For callers without a Spring environment (tests, the TCK's in-JVM node): values are shown as bound. */
    public static GridSettings map(LatticeProperties properties) {
        return map(properties, TypedValues.BOUND);
    }

    /**
     * @throws InvalidSettingsException listing every invalid value
     */
    public static GridSettings map(LatticeProperties properties, TypedValues typed) {
        Problems problems = new Problems(typed);
        GridSettings settings = new GridSettingsMapper(problems).settings(properties);
        problems.throwIfAny();
        return settings;
    }

    private GridSettings settings(LatticeProperties properties) {
        if (properties.getClusterName() == null || properties.getClusterName().isBlank()) {
            problems.reject("lattice.cluster-name", properties.getClusterName(), "must not be blank");
        }
        problems.range("lattice.partition-count", properties.getPartitionCount(), 1, 10_000);
        problems.range("lattice.initial-min-cluster-size", properties.getInitialMinClusterSize(), 1, 1_000);
        Integer minimum = properties.getSplitBrainProtection().getMinimumClusterSize();
        problems.range("lattice.split-brain-protection.minimum-cluster-size", minimum, 1, 1_000);
        problems.wholeSeconds("lattice.shutdown.timeout", properties.getShutdown().getTimeout(), 1);
        Config file = configFile(properties);
        return new GridSettings(properties.getClusterName(), properties.getConfigFile(), properties.getPartitionCount(),
                properties.getInitialMinClusterSize(),
                // A majority of the expected members, so a minority side of a split refuses writes.
                minimum != null ? minimum : properties.getInitialMinClusterSize() / 2 + 1,
                network(properties.getNetwork()), discovery(properties.getDiscovery(), properties.getNetwork()),
                failureDetection(properties.getFailureDetection(), properties.getSplitBrainProtection().getHeartbeatTolerance()),
                properties.getShutdown().getTimeout(),
                invalidation(properties.getInvalidation()), datasource(properties.getDatasource()),
                extensionsDir(properties.getExtensions()), new MapSettingsMapper(problems).map(properties.getMaps(), file),
                allowedPackages(properties.getSerialization()), admin(properties.getAdmin()));
    }

    private List<String> allowedPackages(SerializationProperties serialization) {
        for (String prefix : serialization.getAllowedPackages()) {
            if (prefix == null || !prefix.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*\\.?")) {
                problems.reject("lattice.serialization.allowed-packages", prefix,
                        "must be a Java package, e.g. com.example.orders or com.example. (a trailing dot takes sub-packages)");
            }
        }
        return List.copyOf(serialization.getAllowedPackages());
    }

    /** The password is hashed at once and not kept; a file's single trailing newline is ignored. */
    private GridSettings.@Nullable Admin admin(AdminProperties admin) {
        String password = admin.getPassword();
        if (password != null && admin.getPasswordFile() != null) {
            problems.reject("lattice.admin.password-file", admin.getPasswordFile(),
                    "can not be combined with lattice.admin.password (LATTICE_ADMIN_PASSWORD): set one");
            return null;
        }
        if (admin.getPasswordFile() != null) {
            try {
                password = Files.readString(admin.getPasswordFile()).replaceFirst("\\R$", "");
            } catch (java.io.IOException e) {
                problems.reject("lattice.admin.password-file", admin.getPasswordFile(), "can not be read: " + e.getMessage());
                return null;
            }
        }
        if (password == null) {
            return null;
        }
        if (password.isBlank()) {
            problems.reject(admin.getPasswordFile() != null ? "lattice.admin.password-file" : "lattice.admin.password",
                    admin.getPasswordFile() != null ? admin.getPasswordFile() : "", "the password must not be blank");
            return null;
        }
        if (admin.getUser() == null || admin.getUser().isBlank() || admin.getUser().contains(":")) {
            problems.reject("lattice.admin.user", admin.getUser(), "must be a non-blank name without ':'");
            return null;
        }
        return new GridSettings.Admin(admin.getUser(), PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password));
    }

    private @Nullable Config configFile(LatticeProperties properties) {
        if (properties.getConfigFile() == null) {
            return null;
        }
        try {
            return HazelcastFile.load(properties.getConfigFile());
        } catch (UncheckedIOException | HazelcastException e) {
            // HazelcastException: the file is there but is not a valid Hazelcast config.
            problems.reject("lattice.config-file", properties.getConfigFile().getDescription(), e.getMessage());
            return null;
        }
    }

    private GridSettings.Network network(NetworkProperties network) {
        if (network.getInterfaces() == null || network.getInterfaces().isEmpty()) {
            problems.reject("lattice.network.interfaces", network.getInterfaces(), "must name at least one interface");
        }
        problems.range("lattice.network.port", network.getPort(), 1, 65535);
        problems.range("lattice.network.port-count", network.getPortCount(), 1, 65535 - network.getPort() + 1);
        return new GridSettings.Network(network.getInterfaces() == null ? List.of() : network.getInterfaces(), network.isBindAny(),
                network.getPort(), network.isPortAutoIncrement(), network.getPortCount(),
                network.getPublicAddress() == null || network.getPublicAddress().isBlank() ? null : network.getPublicAddress());
    }

    private GridSettings.Discovery discovery(DiscoveryProperties discovery, NetworkProperties network) {
        if (discovery.getMode() == DiscoveryMode.TCP_IP && (discovery.getMembers() == null || discovery.getMembers().isEmpty())) {
            problems.reject("lattice.discovery.members", discovery.getMembers(), "tcp-ip discovery needs at least one member address");
        }
        if (discovery.getMode() == DiscoveryMode.KUBERNETES) {
            boolean dns = !blank(discovery.getServiceDns());
            boolean api = !blank(discovery.getServiceName());
            if (!dns && !api) {
                problems.reject("lattice.discovery.service-dns", discovery.getServiceDns(), "kubernetes discovery needs the"
                        + " headless service's DNS name (or lattice.discovery.service-name for the Kubernetes API mode)");
            } else if (dns && api) {
                problems.reject("lattice.discovery.service-name", discovery.getServiceName(),
                        "can not be combined with lattice.discovery.service-dns: set one (DNS or Kubernetes API mode)");
            }
            if (!blank(discovery.getNamespace()) && !api) {
                problems.reject("lattice.discovery.namespace", discovery.getNamespace(),
                        "applies only to the Kubernetes API mode (lattice.discovery.service-name)");
            }
            List<String> interfaces = network.getInterfaces() == null ? List.of() : network.getInterfaces();
            if (interfaces.stream().anyMatch(GridSettingsMapper::isLoopback)) {
                problems.reject("lattice.network.interfaces", interfaces, "with lattice.discovery.mode=kubernetes the member"
                        + " must advertise the pod's address, or every pod forms a cluster of its own. Set it to the pod IP"
                        + " (e.g. POD_IP from the downward API's status.podIP, then lattice.network.interfaces=${POD_IP})"
                        + " or to a wildcard of the pod subnet such as 10.*.*.*");
            }
        }
        problems.wholeSeconds("lattice.discovery.service-dns-timeout", discovery.getServiceDnsTimeout(), 1);
        return new GridSettings.Discovery(discovery.getMode(), discovery.getMembers() == null ? List.of() : discovery.getMembers(),
                blank(discovery.getServiceDns()) ? null : discovery.getServiceDns(), discovery.getServiceDnsTimeout(),
                blank(discovery.getServiceName()) ? null : discovery.getServiceName(),
                blank(discovery.getNamespace()) ? null : discovery.getNamespace());
    }

    private static boolean isLoopback(String address) {
        String value = address.trim().toLowerCase(Locale.ROOT);
        return value.startsWith("127.") || value.equals("localhost") || value.equals("::1") || value.equals("0:0:0:0:0:0:0:1");
    }

    private GridSettings.FailureDetection failureDetection(FailureDetectionProperties detection, Duration tolerance) {
        problems.wholeSeconds("lattice.failure-detection.heartbeat-interval", detection.getHeartbeatInterval(), 1);
        problems.wholeSeconds("lattice.failure-detection.max-no-heartbeat", detection.getMaxNoHeartbeat(), 1);
        if (detection.getHeartbeatInterval() != null && detection.getMaxNoHeartbeat() != null
                && detection.getMaxNoHeartbeat().compareTo(detection.getHeartbeatInterval().multipliedBy(2)) < 0) {
            problems.reject("lattice.failure-detection.max-no-heartbeat", detection.getMaxNoHeartbeat(),
                    "must be at least twice heartbeat-interval (" + Problems.display(detection.getHeartbeatInterval())
                            + "), or one lost heartbeat removes a healthy member");
        }
        if (tolerance != null && (detection.getHeartbeatInterval() != null && tolerance.compareTo(detection.getHeartbeatInterval()) <= 0
                || detection.getMaxNoHeartbeat() != null && tolerance.compareTo(detection.getMaxNoHeartbeat()) >= 0)) {
            problems.reject("lattice.split-brain-protection.heartbeat-tolerance", tolerance,
                    "must be longer than lattice.failure-detection.heartbeat-interval ("
                            + Problems.display(detection.getHeartbeatInterval()) + ") and shorter than max-no-heartbeat ("
                            + Problems.display(detection.getMaxNoHeartbeat()) + ")");
        }
        return new GridSettings.FailureDetection(detection.getHeartbeatInterval(), detection.getMaxNoHeartbeat(),
                detection.isExitWhenLeftBehind(), tolerance != null ? tolerance : defaultTolerance(detection));
    }

    /**
     * Half the silence that removes a member, so a node cut off from the others stops counting them
     * (and refuses writes) well before failure detection changes its partition table; but at least
     * two heartbeat intervals, or one late heartbeat would make a healthy node refuse writes.
     */
    private static @Nullable Duration defaultTolerance(FailureDetectionProperties detection) {
        Duration max = detection.getMaxNoHeartbeat();
        Duration interval = detection.getHeartbeatInterval();
        if (max == null || interval == null) {
            return null; // already rejected above
        }
        Duration half = max.dividedBy(2);
        Duration twoBeats = interval.multipliedBy(2);
        return half.compareTo(twoBeats) >= 0 ? half : twoBeats;
    }

    private GridSettings.Invalidation invalidation(InvalidationProperties invalidation) {
        problems.range("lattice.invalidation.batch-size", invalidation.getBatchSize(), 1, Integer.MAX_VALUE);
        problems.wholeSeconds("lattice.invalidation.batch-frequency", invalidation.getBatchFrequency(), 1);
        return new GridSettings.Invalidation(invalidation.isBatchEnabled(), invalidation.getBatchSize(), invalidation.getBatchFrequency());
    }

    private DatasourceSettings datasource(DatasourceProperties datasource) {
        problems.wholeSeconds("lattice.datasource.startup-timeout", datasource.getStartupTimeout(), 0);
        DataSourceSettings external = null;
        if (datasource.getUrl() != null && !datasource.getUrl().isBlank()) {
            DataSourceSettings.Builder builder = DataSourceSettings.builder().url(datasource.getUrl());
            PropertyMapper map = PropertyMapper.get();
            map.from(datasource::getPoolSize).to(size -> problems.check("lattice.datasource.pool-size", size, () -> builder.poolSize(size)));
            map.from(datasource::getConnectionTimeout).to(timeout -> problems.check("lattice.datasource.connection-timeout", timeout,
                    () -> builder.connectionTimeout(timeout)));
            map.from(datasource::getUser).to(builder::user);
            map.from(datasource::getPassword).to(builder::password);
            map.from(datasource::getPasswordEnv).to(builder::passwordEnv);
            map.from(datasource::getPasswordFile).to(builder::passwordFile);
            // Only the URL's address is echoed: its query string may carry a password.
            external = problems.check("lattice.datasource", datasource.getUrl().replaceFirst("\\?.*", "?..."), builder::build);
        }
        // Each writer holds a connection for its transaction: more writers than connections only queue on the pool.
        int writers = datasource.getWriteParallelism();
        int pool = datasource.getPoolSize();
        if (writers < 1 || writers > Math.min(pool, StoreEnvironment.MAX_WRITE_PARALLELISM)) {
            problems.reject("lattice.datasource.write-parallelism", writers, "must be between 1 and "
                    + (pool <= StoreEnvironment.MAX_WRITE_PARALLELISM ? "lattice.datasource.pool-size (" + pool + ")"
                            : Integer.toString(StoreEnvironment.MAX_WRITE_PARALLELISM)));
        }
        return new DatasourceSettings(external, datasource.getEmbedded().getDataDir(), datasource.getEmbedded().getPort(),
                datasource.getPoolSize(), datasource.getWriteParallelism(), datasource.getStartupTimeout(),
                datasource.getSpoolDirectory());
    }

    /** The directory to load, or null when the default one is absent; a directory set explicitly must be usable. */
    private @Nullable Path extensionsDir(ExtensionsProperties extensions) {
        if (extensions.getDir() == null) {
            Path fallback = ExtensionsProperties.DEFAULT_DIR.toAbsolutePath().normalize();
            return Files.isDirectory(fallback) ? fallback : null;
        }
        Path dir = extensions.getDir().toAbsolutePath().normalize();
        String problem = !Files.exists(dir) ? "directory " + dir + " does not exist"
                : !Files.isDirectory(dir) ? dir + " is not a directory"
                : !Files.isReadable(dir) ? "directory " + dir + " is not readable" : null;
        if (problem != null) {
            problems.reject("lattice.extensions.dir", extensions.getDir(), problem);
        }
        return dir;
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }
}
