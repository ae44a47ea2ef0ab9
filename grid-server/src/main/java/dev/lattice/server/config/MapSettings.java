package dev.lattice.server.config;

import com.hazelcast.config.MapConfig;
import dev.lattice.cacheloader.config.MapStoreSettings;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One map's effective settings, each with its source, and its table if it has one.
 *
 * @param name   the map's name or Hazelcast pattern ({@code orders-*}); {@code default} is the map
 *               that maps without an entry of their own start from
 * @param store  the table backing the map, or null for a memory-only map
 */
public record MapSettings(String name, Map<MapKey, MapSetting> values, @Nullable MapStoreSettings store) {

    public MapSettings {
        values = Collections.unmodifiableMap(new EnumMap<>(values));
    }

    public Object value(MapKey key) {
        return values.get(key).value();
    }

    public String source(MapKey key) {
        return values.get(key).source();
    }

    /** Writes every value to {@code map}, leaving what the typed settings do not cover as it is. */
    public void applyTo(MapConfig map) {
        values.forEach((key, setting) -> key.write(map, setting.value()));
    }
}
