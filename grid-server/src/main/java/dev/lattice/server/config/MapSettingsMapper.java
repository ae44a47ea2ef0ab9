package dev.lattice.server.config;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Resolves every map's effective settings. For each key, lowest to highest: Hazelcast's default,
 * the config file's value (the map's own entry, else the file's {@code default} map), a key set
 * under {@code lattice.maps.default}, a key set under {@code lattice.maps.<name>}. Only keys the
 * user set override anything, so a map named only in the file keeps its file values.
 */
final class MapSettingsMapper {

    static final String DEFAULT_MAP = "default";
    private static final MapConfig HAZELCAST_DEFAULTS = new MapConfig();

    private final Problems problems;
    private final StoreSettingsMapper stores;

    MapSettingsMapper(Problems problems) {
        this.problems = problems;
        this.stores = new StoreSettingsMapper(problems);
    }

    Map<String, MapSettings> map(Map<String, MapProperties> typed, @Nullable Config file) {
        typed.forEach(this::checkTypedValues);
        MapProperties defaults = typed.getOrDefault(DEFAULT_MAP, new MapProperties());
        Set<String> names = new LinkedHashSet<>();
        names.add(DEFAULT_MAP);
        if (file != null) {
            names.addAll(file.getMapConfigs().keySet());
        }
        names.addAll(typed.keySet());
        Map<String, MapSettings> maps = new LinkedHashMap<>();
        for (String name : names) {
            MapProperties own = typed.get(name);
            Map<MapKey, MapSetting> values = resolve(name, own, defaults, file);
            checkCombinations(name, values);
            maps.put(name, new MapSettings(name, values, own == null ? null : stores.map(name, own.getStore())));
        }
        stores.checkSharedTables(maps);
        return maps;
    }

    private Map<MapKey, MapSetting> resolve(String name, @Nullable MapProperties own, MapProperties defaults, @Nullable Config file) {
        MapConfig fromFile = null;
        String fileSource = null;
        if (file != null) {
            fromFile = file.getMapConfigOrNull(name);
            if (fromFile == null) {
                fromFile = file.getMapConfigs().get(DEFAULT_MAP);
            }
            fileSource = fromFile == null ? null : "lattice.config-file (map '" + fromFile.getName() + "')";
        }
        Map<MapKey, MapSetting> values = new EnumMap<>(MapKey.class);
        for (MapKey key : MapKey.values()) {
            Object ownValue = own == null ? null : key.typedValue(own);
            Object defaultValue = key.typedValue(defaults);
            if (ownValue != null) {
                values.put(key, new MapSetting(ownValue, property(name, key)));
            } else if (defaultValue != null) {
                values.put(key, new MapSetting(defaultValue, property(DEFAULT_MAP, key)));
            } else if (fromFile != null && !key.read(fromFile).equals(key.read(HAZELCAST_DEFAULTS))) {
                values.put(key, new MapSetting(key.read(fromFile), fileSource));
            } else {
                values.put(key, new MapSetting(key.read(HAZELCAST_DEFAULTS), MapSetting.HAZELCAST_DEFAULT));
            }
        }
        return values;
    }

    private void checkTypedValues(String name, MapProperties map) {
        for (MapKey key : MapKey.values()) {
            Object value = key.typedValue(map);
            String problem = value == null ? null : key.problem(value);
            if (problem != null) {
                problems.reject(property(name, key), value, problem);
            }
        }
    }

    /** Checks what only the effective values can tell; reported under the property that set the deciding value. */
    private void checkCombinations(String name, Map<MapKey, MapSetting> values) {
        MapSetting backups = values.get(MapKey.BACKUP_COUNT);
        MapSetting asyncBackups = values.get(MapKey.ASYNC_BACKUP_COUNT);
        int sync = (Integer) backups.value();
        int async = (Integer) asyncBackups.value();
        if ((backups.typed() || asyncBackups.typed()) && MapKey.BACKUP_COUNT.problem(sync) == null
                && MapKey.ASYNC_BACKUP_COUNT.problem(async) == null && sync + async > MapKey.MAX_BACKUPS) {
            MapSetting decisive = asyncBackups.typed() ? asyncBackups : backups;
            problems.reject(decisive.source(), decisive.value(), "backup-count (" + sync + ") plus async-backup-count ("
                    + async + ") must be at most " + MapKey.MAX_BACKUPS);
        }
        MapSetting policy = values.get(MapKey.EVICTION_POLICY);
        MapSetting size = values.get(MapKey.EVICTION_SIZE);
        if ((policy.typed() || size.typed()) && policy.value() != EvictionPolicy.NONE && (Integer) size.value() == Integer.MAX_VALUE) {
            String level = policy.typed() ? levelOf(policy, MapKey.EVICTION_POLICY) : levelOf(size, MapKey.EVICTION_SIZE);
            problems.reject(level + "." + MapKey.EVICTION_SIZE.property(), size.value(),
                    "eviction policy " + policy.value() + " needs a size, or nothing is ever evicted");
        }
    }

    /** {@code lattice.maps.orders} for a value set as {@code lattice.maps.orders.<key>}. */
    private static String levelOf(MapSetting setting, MapKey key) {
        return setting.source().substring(0, setting.source().length() - key.property().length() - 1);
    }

    static String property(String map, MapKey key) {
        return "lattice.maps." + map + "." + key.property();
    }
}
