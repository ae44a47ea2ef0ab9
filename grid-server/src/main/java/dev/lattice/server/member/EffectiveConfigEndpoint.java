package dev.lattice.server.member;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.server.config.GridSettings;
import dev.lattice.server.config.MapKey;
import dev.lattice.server.config.MapSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code GET /actuator/latticeconfig}: every map's effective settings as the running member holds
 * them, each with where it came from ({@code lattice.maps.orders.backup-count},
 * {@code lattice.maps.default.time-to-live}, {@code lattice.config-file (map 'orders')} or
 * {@code Hazelcast default}), and its table. Maps created at run time without an entry of their own
 * are listed with the entry they inherit. {@code GET /actuator/latticeconfig/{map}} shows one map,
 * configured or not. Needs the actuator credentials, like every endpoint but health, info and
 * prometheus.
 */
@Endpoint(id = "latticeconfig")
public final class EffectiveConfigEndpoint {

    /** Source of a value a customizer bean changed after Lattice had set it. */
    static final String CUSTOMIZED = "a MemberConfigCustomizer or HazelcastConfigCustomizer bean";

    private final GridSettings settings;
    private final HazelcastInstance member;

    EffectiveConfigEndpoint(GridSettings settings, HazelcastInstance member) {
        this.settings = settings;
        this.member = member;
    }

    @ReadOperation
    public Map<String, Object> maps() {
        TreeSet<String> running = new TreeSet<>();
        for (DistributedObject object : member.getDistributedObjects()) {
            if (object instanceof IMap<?, ?> && !settings.maps().containsKey(object.getName())) {
                running.add(object.getName());
            }
        }
        Map<String, Object> maps = new LinkedHashMap<>();
        settings.maps().keySet().forEach(name -> maps.put(name, map(name)));
        running.forEach(name -> maps.put(name, map(name)));
        return Map.of("maps", maps);
    }

    @ReadOperation
    public Map<String, Object> map(@Selector String name) {
        Config config = member.getConfig();
        MapSettings configured = entryFor(config, name);
        // The member's own config, not the settings: a customizer may have changed it since.
        MapConfig effective = settings.maps().containsKey(name) ? config.getMapConfigs().get(name) : config.findMapConfig(name);
        Map<String, Object> view = new LinkedHashMap<>();
        if (!configured.name().equals(name)) {
            view.put("inherits", configured.name());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (MapKey key : MapKey.values()) {
            Object value = key.read(effective);
            String source = value.equals(configured.value(key)) ? configured.source(key) : CUSTOMIZED;
            values.put(key.property(), Map.of("value", show(value), "source", source));
        }
        view.put("settings", values);
        view.put("store", store(configured.name().equals(name) ? configured.store() : null));
        return view;
    }

    /** The configured entry a map name resolves to, the way Hazelcast resolves it: exact, wildcard, else default. */
    private MapSettings entryFor(Config config, String name) {
        MapSettings exact = settings.maps().get(name);
        if (exact != null) {
            return exact;
        }
        String pattern = config.getConfigPatternMatcher().matches(settings.maps().keySet(), name);
        return settings.maps().get(pattern != null ? pattern : "default");
    }

    private static @Nullable Map<String, Object> store(@Nullable MapStoreSettings store) {
        if (store == null) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("mode", store.mode().name());
        view.put("table", store.table().name());
        view.put("key-column", store.keyColumn().name());
        view.put("key-type", store.keyType().name());
        view.put("value-column", store.valueColumn().name());
        view.put("value-type", store.valueType().name());
        view.put("initial-load", store.initialLoad().name());
        if (store.mode() == StoreMode.WRITE_BEHIND) {
            view.put("write-delay", show(store.writeDelay()));
            view.put("write-batch-size", store.writeBatchSize());
            view.put("write-coalescing", store.writeCoalescing());
        }
        view.put("max-attempts", store.maxAttempts());
        return view;
    }

    /** Durations as an operator types them ({@code 300s}); everything else as JSON knows it. */
    private static Object show(Object value) {
        if (value instanceof Duration duration) {
            return duration.toSeconds() + "s";
        }
        return value instanceof Enum<?> constant ? constant.name() : value;
    }
}
