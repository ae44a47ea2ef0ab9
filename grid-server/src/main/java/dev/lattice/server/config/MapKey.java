package dev.lattice.server.config;

import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Each typed map setting: its property name under {@code lattice.maps.<name>.}, where it is read
 * from the bound properties and from a Hazelcast {@link MapConfig}, how it is written to one, and
 * what a single value must satisfy. Combinations are checked by {@link MapSettingsMapper}.
 */
public enum MapKey {

    BACKUP_COUNT("backup-count", MapProperties::getBackupCount, MapConfig::getBackupCount,
            (map, value) -> map.setBackupCount((Integer) value)) {
        @Override
        @Nullable String problem(Object value) {
            return between((Integer) value, 0, MAX_BACKUPS);
        }
    },
    ASYNC_BACKUP_COUNT("async-backup-count", MapProperties::getAsyncBackupCount, MapConfig::getAsyncBackupCount,
            (map, value) -> map.setAsyncBackupCount((Integer) value)) {
        @Override
        @Nullable String problem(Object value) {
            return between((Integer) value, 0, MAX_BACKUPS);
        }
    },
    TIME_TO_LIVE("time-to-live", MapProperties::getTimeToLive, map -> Duration.ofSeconds(map.getTimeToLiveSeconds()),
            (map, value) -> map.setTimeToLiveSeconds((int) ((Duration) value).toSeconds())) {
        @Override
        @Nullable String problem(Object value) {
            return wholeSeconds((Duration) value);
        }
    },
    MAX_IDLE("max-idle", MapProperties::getMaxIdle, map -> Duration.ofSeconds(map.getMaxIdleSeconds()),
            (map, value) -> map.setMaxIdleSeconds((int) ((Duration) value).toSeconds())) {
        @Override
        @Nullable String problem(Object value) {
            return wholeSeconds((Duration) value);
        }
    },
    IN_MEMORY_FORMAT("in-memory-format", MapProperties::getInMemoryFormat, MapConfig::getInMemoryFormat,
            (map, value) -> map.setInMemoryFormat((InMemoryFormat) value)) {
        @Override
        @Nullable String problem(Object value) {
            return value == InMemoryFormat.NATIVE ? "use BINARY or OBJECT (NATIVE needs Hazelcast Enterprise)" : null;
        }
    },
    READ_BACKUP_DATA("read-backup-data", MapProperties::getReadBackupData, MapConfig::isReadBackupData,
            (map, value) -> map.setReadBackupData((Boolean) value)),
    STATISTICS_ENABLED("statistics-enabled", MapProperties::getStatisticsEnabled, MapConfig::isStatisticsEnabled,
            (map, value) -> map.setStatisticsEnabled((Boolean) value)),
    EVICTION_POLICY("eviction.policy", map -> map.getEviction().getPolicy(), map -> map.getEvictionConfig().getEvictionPolicy(),
            (map, value) -> map.getEvictionConfig().setEvictionPolicy((EvictionPolicy) value)),
    EVICTION_MAX_SIZE_POLICY("eviction.max-size-policy", map -> map.getEviction().getMaxSizePolicy(),
            map -> map.getEvictionConfig().getMaxSizePolicy(),
            (map, value) -> map.getEvictionConfig().setMaxSizePolicy((MaxSizePolicy) value)) {
        @Override
        @Nullable String problem(Object value) {
            return MAP_SIZE_POLICIES.contains(value) ? null : "is not a map size policy; use one of " + MAP_SIZE_POLICIES;
        }
    },
    EVICTION_SIZE("eviction.size", map -> map.getEviction().getSize(), map -> map.getEvictionConfig().getSize(),
            (map, value) -> map.getEvictionConfig().setSize((Integer) value)) {
        @Override
        @Nullable String problem(Object value) {
            return between((Integer) value, 1, Integer.MAX_VALUE);
        }
    };

    /** Hazelcast's limit on the total number of backups of a partition. */
    static final int MAX_BACKUPS = 6;

    /** Map-wide sizes Hazelcast understands for a map (the others apply to caches or need Enterprise). */
    private static final Set<MaxSizePolicy> MAP_SIZE_POLICIES = EnumSet.of(MaxSizePolicy.PER_NODE,
            MaxSizePolicy.PER_PARTITION, MaxSizePolicy.USED_HEAP_SIZE, MaxSizePolicy.USED_HEAP_PERCENTAGE,
            MaxSizePolicy.FREE_HEAP_SIZE, MaxSizePolicy.FREE_HEAP_PERCENTAGE);

    private final String property;
    private final Function<MapProperties, @Nullable Object> typed;
    private final Function<MapConfig, Object> read;
    private final BiConsumer<MapConfig, Object> write;

    MapKey(String property, Function<MapProperties, @Nullable Object> typed, Function<MapConfig, Object> read,
           BiConsumer<MapConfig, Object> write) {
        this.property = property;
        this.typed = typed;
        this.read = read;
        this.write = write;
    }

    /** The name under {@code lattice.maps.<name>.}, e.g. {@code eviction.size}. */
    public String property() {
        return property;
    }

    /** The value the user set, or null. */
    @Nullable Object typedValue(MapProperties properties) {
        return typed.apply(properties);
    }

    /** The value in a Hazelcast map config, e.g. a running member's. */
    public Object read(MapConfig map) {
        return read.apply(map);
    }

    void write(MapConfig map, Object value) {
        write.accept(map, value);
    }

    /** Why a single typed value is unusable, or null when it is fine. */
    @Nullable String problem(Object value) {
        return null;
    }

    private static @Nullable String between(int value, int min, int max) {
        return value < min || value > max ? "must be between " + min + " and " + max : null;
    }

    private static @Nullable String wholeSeconds(Duration value) {
        if (value.isNegative()) {
            return "must not be negative";
        }
        return value.toNanosPart() != 0 || value.toSeconds() > Integer.MAX_VALUE
                ? "must be a whole number of seconds up to " + Integer.MAX_VALUE : null;
    }
}
