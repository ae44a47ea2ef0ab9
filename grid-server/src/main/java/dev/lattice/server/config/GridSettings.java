package dev.lattice.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/**
 * Everything a grid node runs on, validated: made once at startup from {@code lattice.*} by
 * {@link GridSettingsMapper} and kept as the single source for the member config, the database
 * and the effective-configuration endpoint.
 *
 * @param configFile           the Hazelcast file loaded under the typed settings, if any
 * @param minimumClusterSize   split-brain protection's member count, the derived default applied
 * @param extensionsDir        the application jars' directory, or null when the default one is absent
 * @param maps                 every configured map (the default map, the file's maps and the typed ones), by name
 * @param allowedPackages      package prefixes (a trailing dot) or packages whose classes Java serialization may read,
 *                             besides the JDK's and Hazelcast's
 * @param admin                the operator's credential, or null when none is set (operations endpoints then refuse everyone)
 */
public record GridSettings(String clusterName, @Nullable Resource configFile, int partitionCount, int initialMinClusterSize,
                           int minimumClusterSize, Network network, Discovery discovery, FailureDetection failureDetection,
                           Duration shutdownTimeout, Invalidation invalidation, DatasourceSettings datasource,
                           @Nullable Path extensionsDir, Map<String, MapSettings> maps, List<String> allowedPackages,
                           @Nullable Admin admin) {

    public GridSettings {
        maps = Collections.unmodifiableMap(new LinkedHashMap<>(maps));
        allowedPackages = List.copyOf(allowedPackages);
    }

    /** The operator's user and the hash of the password; the password itself is not kept. */
    public record Admin(String user, String passwordHash) {
        @Override
        public String toString() {
            return "Admin[user=" + user + "]";
        }
    }

    /** Maps backed by a table, by name. */
    public Map<String, MapSettings> backedMaps() {
        Map<String, MapSettings> backed = new LinkedHashMap<>();
        maps.forEach((name, map) -> {
            if (map.store() != null) {
                backed.put(name, map);
            }
        });
        return Collections.unmodifiableMap(backed);
    }

    /** Where the member listens. */
    public record Network(List<String> interfaces, boolean bindAny, int port, boolean portAutoIncrement, int portCount,
                          @Nullable String publicAddress) {
        public Network {
            interfaces = List.copyOf(interfaces);
        }
    }

    /** How members find each other. */
    public record Discovery(DiscoveryMode mode, List<String> members, @Nullable String serviceDns, Duration serviceDnsTimeout,
                            @Nullable String serviceName, @Nullable String namespace) {
        public Discovery {
            members = List.copyOf(members);
        }
    }

    /**
     * Heartbeats and the silence after which a member is removed (whole seconds), whether a member
     * left behind by a long pause exits, and how recent a member's last heartbeat must be for
     * split-brain protection to count it ({@code lattice.split-brain-protection.heartbeat-tolerance}).
     */
    public record FailureDetection(Duration heartbeatInterval, Duration maxNoHeartbeat, boolean exitWhenLeftBehind,
                                   Duration heartbeatTolerance) {
    }

    /** Near-cache invalidation batching. */
    public record Invalidation(boolean batchEnabled, int batchSize, Duration batchFrequency) {
    }
}
