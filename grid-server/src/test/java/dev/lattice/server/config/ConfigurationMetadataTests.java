package dev.lattice.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.MapConfig;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spring Boot configuration metadata an IDE reads: every nested group of {@code lattice.*}
 * with its Javadoc descriptions, and the map keys under {@code lattice.maps.default} with defaults
 * that are Hazelcast's own, the one place they are stated.
 */
class ConfigurationMetadataTests {

    private static DocumentContext metadata;

    @BeforeAll
    static void readMetadata() throws IOException {
        try (InputStream in = ConfigurationMetadataTests.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            metadata = JsonPath.parse(in);
        }
    }

    @Test
    void nestedGroups_areListed() {
        List<String> groups = metadata.read("$.groups[*].name");
        assertThat(groups).contains("lattice.network", "lattice.discovery", "lattice.failure-detection", "lattice.shutdown",
                "lattice.invalidation", "lattice.split-brain-protection", "lattice.datasource", "lattice.datasource.embedded",
                "lattice.extensions", "lattice.maps.default");
    }

    @Test
    void everyLatticeProperty_hasADescription() {
        List<Map<String, Object>> properties = metadata.read("$.properties[?(@.name =~ /lattice\\..*/)]");
        assertThat(properties).hasSizeGreaterThan(40)
                .allSatisfy(property -> assertThat((String) property.get("description")).as("%s", property.get("name")).isNotBlank());
    }

    @Test
    void defaultMapKeys_areEveryMapKeyWithHazelcastsDefault() {
        MapConfig hazelcast = new MapConfig();
        for (MapKey key : MapKey.values()) {
            List<Object> defaults = metadata.read("$.properties[?(@.name == 'lattice.maps.default." + key.property() + "')].defaultValue");
            assertThat(defaults).as("metadata of lattice.maps.default.%s", key.property()).hasSize(1);
            Object expected = key.read(hazelcast);
            String shown = expected instanceof Duration duration ? duration.toSeconds() + "s" : String.valueOf(expected);
            assertThat(String.valueOf(defaults.get(0))).as("default of lattice.maps.default.%s", key.property()).isEqualTo(shown);
        }
    }
}
