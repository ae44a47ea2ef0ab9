package dev.lattice.server.config;

import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.SqlIdentifier;
import dev.lattice.cacheloader.config.StoreMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.PropertyMapper;

/**
 * {@code lattice.maps.<name>.store.*} to cache-loader's {@link MapStoreSettings}, which owns the
 * defaults and checks each value; every verdict is reported under the property that was typed.
 */
final class StoreSettingsMapper {

    private final Problems problems;

    StoreSettingsMapper(Problems problems) {
        this.problems = problems;
    }

    /** The map's table settings; null for a memory-only map or when a value is invalid (then reported). */
    @Nullable MapStoreSettings map(String name, StoreProperties store) {
        String prefix = "lattice.maps." + name + ".store.";
        Map<String, Object> set = store.setValues();
        if (MapSettingsMapper.DEFAULT_MAP.equals(name)) {
            set.forEach((key, value) -> problems.reject(prefix + key, value, "a store can not be inherited: every map "
                    + "would share one table; set it under lattice.maps.<name>.store for each map that needs one"));
            return null;
        }
        if (store.getMode() == null) {
            set.forEach((key, value) -> problems.reject(prefix + key, value, "has no effect without " + prefix + "mode"));
            return null;
        }
        int before = problems.count();
        if (store.getMode() != StoreMode.WRITE_BEHIND) {
            Map<String, Object> writeBehindOnly = new LinkedHashMap<>(set);
            writeBehindOnly.keySet().retainAll(List.of("write-delay", "write-batch-size", "write-coalescing"));
            writeBehindOnly.forEach((key, value) -> problems.reject(prefix + key, value, "applies to write-behind only, and "
                    + prefix + "mode is " + mode(store.getMode())));
        }
        String table = store.getTable() != null ? store.getTable() : name;
        identifier(prefix + "table", "table", table, store.getTable() == null ? " (the table defaults to the map's name: set "
                + prefix + "table)" : "");
        identifier(prefix + "key-column", "key column", store.getKeyColumn(), "");
        identifier(prefix + "value-column", "value column", store.getValueColumn(), "");
        if (store.getKeyColumn() != null && store.getKeyColumn().equals(store.getValueColumn())) {
            problems.reject(prefix + "value-column", store.getValueColumn(), "must differ from " + prefix + "key-column");
        }
        MapStoreSettings.Builder builder = MapStoreSettings.builder().mode(store.getMode()).table(table);
        PropertyMapper map = PropertyMapper.get();
        if (store.getMode() == StoreMode.WRITE_BEHIND) {
            map.from(store::getWriteDelay).to(value -> problems.check(prefix + "write-delay", value, () -> builder.writeDelay(value)));
            map.from(store::getWriteBatchSize).to(value -> problems.check(prefix + "write-batch-size", value,
                    () -> builder.writeBatchSize(value)));
            map.from(store::getWriteCoalescing).to(builder::writeCoalescing);
        }
        map.from(store::getKeyColumn).to(builder::keyColumn);
        map.from(store::getKeyType).to(builder::keyType);
        map.from(store::getValueColumn).to(builder::valueColumn);
        map.from(store::getValueType).to(builder::valueType);
        map.from(store::getInitialLoad).to(builder::initialLoad);
        map.from(store::getMaxAttempts).to(value -> problems.check(prefix + "max-attempts", value, () -> builder.maxAttempts(value)));
        map.from(store::getLoadBatchSize).to(value -> problems.check(prefix + "load-batch-size", value,
                () -> builder.loadBatchSize(value)));
        map.from(store::getSchemaAction).to(builder::schemaAction);
        if (problems.count() != before) {
            return null;
        }
        // Every value was checked above; a combination cache-loader adds later still names the map's store.
        return problems.check(prefix + "mode", mode(store.getMode()), builder::build);
    }

    /** Two maps on one table would overwrite each other's rows and share their dead letters. */
    void checkSharedTables(Map<String, MapSettings> maps) {
        Map<SqlIdentifier, String> owners = new LinkedHashMap<>();
        maps.forEach((name, map) -> {
            if (map.store() == null) {
                return;
            }
            String first = owners.putIfAbsent(map.store().table(), name);
            if (first != null) {
                problems.reject("lattice.maps." + name + ".store.table", map.store().table(), "table "
                        + map.store().table() + " already backs map " + first + " (lattice.maps." + first
                        + ".store.table); two maps on one table overwrite each other's rows. Give each map its own table");
            }
        });
    }

    private void identifier(String property, String field, @Nullable String value, String hint) {
        if (value != null) {
            try {
                SqlIdentifier.of(field, value);
            } catch (IllegalArgumentException e) {
                problems.reject(property, value, e.getMessage() + hint);
            }
        }
    }

    private static String mode(StoreMode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
