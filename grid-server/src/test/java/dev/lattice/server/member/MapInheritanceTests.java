package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import dev.lattice.server.config.GridSettings;
import dev.lattice.server.config.GridSettingsConfiguration;
import dev.lattice.server.config.MapKey;
import dev.lattice.server.config.MapSetting;
import dev.lattice.server.config.MapSettings;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Each step of a map setting's precedence, lowest to highest: Hazelcast's default, the config
 * file's value (the map's own entry, else the file's default map), {@code lattice.maps.default.<key>},
 * {@code lattice.maps.<name>.<key>}. Checked on the settings (value and source) and on the member
 * config Lattice hands Hazelcast.
 */
class MapInheritanceTests {

    private static final String FILE = "lattice.config-file=classpath:hazelcast/inheritance.yaml";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
            .withUserConfiguration(SettingsOnly.class);

    @Test
    void keyNobodySet_keepsHazelcastsDefault() {
        run(settings -> {
            assertSetting(settings.maps().get("orders"), MapKey.TIME_TO_LIVE, Duration.ZERO, MapSetting.HAZELCAST_DEFAULT);
            assertThat(member(settings).getMapConfig("orders").getTimeToLiveSeconds()).isZero();
        }, "lattice.maps.orders.backup-count=2");
    }

    @Test
    void fileValue_winsOverHazelcastsDefault() {
        run(settings -> {
            assertSetting(settings.maps().get("orders"), MapKey.MAX_IDLE, Duration.ofSeconds(120), "lattice.config-file (map 'orders')");
            assertThat(member(settings).getMapConfig("orders").getMaxIdleSeconds()).isEqualTo(120);
        }, FILE);
    }

    @Test
    void typedMapMissingFromFile_startsFromTheFilesDefaultMap() {
        run(settings -> {
            assertSetting(settings.maps().get("sessions"), MapKey.TIME_TO_LIVE, Duration.ofSeconds(300), "lattice.config-file (map 'default')");
            assertSetting(settings.maps().get("sessions"), MapKey.BACKUP_COUNT, 2, "lattice.maps.sessions.backup-count");
            MapConfig sessions = member(settings).getMapConfig("sessions");
            assertThat(sessions.getTimeToLiveSeconds()).isEqualTo(300);
            assertThat(sessions.isStatisticsEnabled()).isFalse();
        }, FILE, "lattice.maps.sessions.backup-count=2");
    }

    @Test
    void typedDefault_winsOverFileValues() {
        run(settings -> {
            assertSetting(settings.maps().get("orders"), MapKey.BACKUP_COUNT, 3, "lattice.maps.default.backup-count");
            assertThat(member(settings).getMapConfig("orders").getBackupCount()).isEqualTo(3);
            assertThat(member(settings).getMapConfig("legacy").getBackupCount()).isEqualTo(3);
        }, FILE, "lattice.maps.default.backup-count=3");
    }

    @Test
    void typedMapKey_winsOverTypedDefault() {
        run(settings -> {
            assertSetting(settings.maps().get("orders"), MapKey.BACKUP_COUNT, 1, "lattice.maps.orders.backup-count");
            assertThat(member(settings).getMapConfig("orders").getBackupCount()).isEqualTo(1);
        }, FILE, "lattice.maps.default.backup-count=3", "lattice.maps.orders.backup-count=1");
    }

    @Test
    void mapWithItsOwnEntry_stillInheritsTypedDefaultForKeysItDoesNotSet() {
        // The defect this fixes: a map named under lattice.maps got Hazelcast's defaults, not default's.
        run(settings -> {
            MapConfig records = member(settings).getMapConfig("records");
            assertThat(records.getTimeToLiveSeconds()).isEqualTo(30);
            assertThat(records.getBackupCount()).isEqualTo(2);
            assertSetting(settings.maps().get("records"), MapKey.TIME_TO_LIVE, Duration.ofSeconds(30), "lattice.maps.default.time-to-live");
        }, "lattice.maps.default.time-to-live=30s", "lattice.maps.records.backup-count=2");
    }

    @Test
    void mapNamedOnlyInTheFile_keepsItsFileValues() {
        run(settings -> {
            MapConfig legacy = member(settings).getMapConfig("legacy");
            assertThat(legacy.getBackupCount()).isEqualTo(3);
            assertThat(legacy.getTimeToLiveSeconds()).isEqualTo(60);
            assertThat(legacy.isReadBackupData()).isTrue();
            assertSetting(settings.maps().get("legacy"), MapKey.BACKUP_COUNT, 3, "lattice.config-file (map 'legacy')");
        }, FILE, "lattice.maps.orders.backup-count=1");
    }

    @Test
    void typedMapMatchingAFileWildcard_startsFromThePatternAndLeavesItAlone() {
        run(settings -> {
            Config member = member(settings);
            assertThat(member.getMapConfig("archive-2024").getAsyncBackupCount()).isEqualTo(1);
            assertThat(member.getMapConfig("archive-2024").getBackupCount()).isEqualTo(2);
            assertThat(member.getMapConfigs().get("archive-*").getBackupCount()).isEqualTo(1);
            assertSetting(settings.maps().get("archive-2024"), MapKey.ASYNC_BACKUP_COUNT, 1, "lattice.config-file (map 'archive-*')");
        }, FILE, "lattice.maps.archive-2024.backup-count=2");
    }

    @Test
    void mapCreatedAtRunTime_getsTheTypedDefaultOverTheFile() {
        run(settings -> {
            MapConfig anything = member(settings).findMapConfig("created-later");
            assertThat(anything.getTimeToLiveSeconds()).isEqualTo(45);
            assertThat(anything.isStatisticsEnabled()).isFalse();
        }, FILE, "lattice.maps.default.time-to-live=45s");
    }

    private void run(Consumer<GridSettings> assertions, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasNotFailed();
            assertions.accept(context.getBean(GridSettings.class));
        });
    }

    private static Config member(GridSettings settings) {
        return MemberConfigMapper.map(settings);
    }

    private static void assertSetting(MapSettings map, MapKey key, Object value, String source) {
        assertThat(map.values().get(key)).isEqualTo(new MapSetting(value, source));
    }

    @Configuration(proxyBeanMethods = false)
    @Import(GridSettingsConfiguration.class)
    static class SettingsOnly {
    }
}
