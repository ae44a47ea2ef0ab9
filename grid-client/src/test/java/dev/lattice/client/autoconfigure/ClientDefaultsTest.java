package dev.lattice.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ConnectionRetryConfig;
import com.hazelcast.client.properties.ClientProperty;
import com.jayway.jsonpath.JsonPath;
import dev.lattice.client.LatticeClient;
import dev.lattice.client.NearCacheOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each {@code lattice.client.*} default is the library's, stated once in {@code LatticeClientBuilder}
 * and {@link NearCacheOptions}: the properties leave it unset, and the documentation that repeats it
 * (the configuration metadata an IDE shows, the README's table) is pinned to it here.
 */
class ClientDefaultsTest {

    private static final Pattern README_ROW = Pattern.compile("^\\| `([a-z.<>-]+)` \\| ([^|]+) \\|");

    @Test
    void readmeTable_statesTheBuildersDefaults() throws IOException {
        assertThat(readmeDefaults()).isEqualTo(builderDefaults());
    }

    @Test
    void configurationMetadata_statesTheBuildersDefaults() throws IOException {
        Map<String, String> builder = builderDefaults();
        Map<String, Object> metadata = metadataDefaults();
        assertThat(metadata).isNotEmpty();
        metadata.forEach((property, value) -> assertThat(shown(value)).as("metadata default of lattice.client.%s", property)
                .isEqualTo(builder.get(property)));
        // Every property with a default the builder owns is documented for IDEs too.
        assertThat(metadata.keySet()).containsAll(builder.keySet().stream()
                .filter(p -> !p.startsWith("near-cache.") && !builder.get(p).matches("generated|forever")).toList());
    }

    /** What an unconfigured builder produces, written as the README writes it. */
    private static Map<String, String> builderDefaults() {
        ClientConfig config = LatticeClient.builder().toClientConfig();
        ConnectionRetryConfig retry = config.getConnectionStrategyConfig().getConnectionRetryConfig();
        NearCacheOptions nearCache = NearCacheOptions.defaults();
        Map<String, String> defaults = new TreeMap<>();
        defaults.put("enabled", String.valueOf(new LatticeClientProperties().isEnabled()));
        defaults.put("addresses", String.join(",", config.getNetworkConfig().getAddresses()));
        defaults.put("cluster-name", config.getClusterName());
        defaults.put("instance-name", config.getInstanceName() == null ? "generated" : config.getInstanceName());
        defaults.put("heartbeat-timeout", seconds(Duration.ofMillis(Long.parseLong(
                config.getProperty(ClientProperty.HEARTBEAT_TIMEOUT.getName())))));
        defaults.put("redo-operation", String.valueOf(config.getNetworkConfig().isRedoOperation()));
        defaults.put("connection-retry.initial-backoff", seconds(Duration.ofMillis(retry.getInitialBackoffMillis())));
        defaults.put("connection-retry.max-backoff", seconds(Duration.ofMillis(retry.getMaxBackoffMillis())));
        defaults.put("connection-retry.multiplier", number(retry.getMultiplier()));
        defaults.put("connection-retry.jitter", number(retry.getJitter()));
        defaults.put("connection-retry.cluster-connect-timeout",
                retry.getClusterConnectTimeoutMillis() == ConnectionRetryConfig.DEFAULT_CLUSTER_CONNECT_TIMEOUT_MILLIS
                        ? "forever" : seconds(Duration.ofMillis(retry.getClusterConnectTimeoutMillis())));
        defaults.put("near-cache.<map>.in-memory-format", nearCache.inMemoryFormat().name());
        defaults.put("near-cache.<map>.time-to-live", seconds(nearCache.timeToLive()));
        defaults.put("near-cache.<map>.max-idle", seconds(nearCache.maxIdle()));
        defaults.put("near-cache.<map>.eviction-policy", nearCache.evictionPolicy().name());
        defaults.put("near-cache.<map>.max-size", String.valueOf(nearCache.maxSize()));
        defaults.put("near-cache.<map>.invalidate-on-change", String.valueOf(nearCache.invalidateOnChange()));
        defaults.put("near-cache.<map>.serialize-keys", String.valueOf(nearCache.serializeKeys()));
        defaults.put("near-cache.<map>.preload.enabled", String.valueOf(nearCache.preload()));
        defaults.put("near-cache.<map>.preload.directory", nearCache.preloadDirectory().isEmpty() ? "working dir" : nearCache.preloadDirectory());
        defaults.put("near-cache.<map>.preload.store-initial-delay", seconds(nearCache.preloadStoreInitialDelay()));
        defaults.put("near-cache.<map>.preload.store-interval", seconds(nearCache.preloadStoreInterval()));
        defaults.put("near-cache.<map>.front", String.valueOf(nearCache.front()));
        return defaults;
    }

    /** The README's lattice.client table: property to default, backticks and remarks such as "(never)" dropped. */
    private static Map<String, String> readmeDefaults() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int table = lines.indexOf(lines.stream().filter(l -> l.startsWith("| property (`lattice.client.`)")).findFirst().orElseThrow());
        Map<String, String> defaults = new TreeMap<>();
        for (String line : lines.subList(table + 2, lines.size())) {
            Matcher row = README_ROW.matcher(line);
            if (!row.find()) {
                break;
            }
            defaults.put(row.group(1), row.group(2).replaceAll("\\(.*\\)", "").replace("`", "").trim());
        }
        return defaults;
    }

    private static Map<String, Object> metadataDefaults() throws IOException {
        try (InputStream in = ClientDefaultsTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("configuration metadata on the class path").isNotNull();
            List<Map<String, Object>> properties = JsonPath.parse(in).read("$.properties[?(@.name =~ /lattice\\.client\\.[^j].*/)]");
            Map<String, Object> defaults = new LinkedHashMap<>();
            properties.stream().filter(p -> p.get("defaultValue") != null)
                    .forEach(p -> defaults.put(((String) p.get("name")).substring("lattice.client.".length()), p.get("defaultValue")));
            return defaults;
        }
    }

    private static String shown(Object metadataValue) {
        if (metadataValue instanceof List<?> values) {
            return String.join(",", values.stream().map(String::valueOf).toList());
        }
        return metadataValue instanceof Number number ? number(number.doubleValue()) : String.valueOf(metadataValue);
    }

    private static String seconds(Duration duration) {
        return duration.isZero() ? "0" : duration.toSeconds() + "s";
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
