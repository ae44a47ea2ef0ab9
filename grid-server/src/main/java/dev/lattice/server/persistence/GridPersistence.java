package dev.lattice.server.persistence;

import com.hazelcast.config.Config;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.LatticeMapStores;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.embedded.EmbeddedDatabase;
import dev.lattice.cacheloader.jdbc.DeadLetters;
import dev.lattice.server.config.DatasourceProperties;
import dev.lattice.server.config.LatticeProperties;
import dev.lattice.server.config.StoreProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs the maps that have a {@code store} by their tables: opens the database (the configured
 * one, or an embedded PostgreSQL), prepares each table and puts a map store on each map config.
 * Nothing is opened when no map has a store.
 *
 * <p>It must outlive the member: the member's graceful shutdown flushes the write-behind queue
 * through this pool. The member config bean depends on this bean, so Spring closes it after the
 * member has stopped.
 */
public final class GridPersistence implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GridPersistence.class);

    private final LatticeProperties properties;
    private final MeterRegistry registry;
    private final Map<String, MapStoreSettings> stores = new LinkedHashMap<>();
    private EmbeddedDatabase embedded;
    private HikariDataSource pool;

    public GridPersistence(LatticeProperties properties, MeterRegistry registry) {
        this.properties = properties;
        this.registry = registry;
    }

    /** Puts a map store on every map of {@code config} that has a {@code store}. */
    public void apply(Config config) {
        properties.getMaps().forEach((name, map) -> {
            StoreProperties store = map.getStore();
            if (store.isEnabled()) {
                MapStoreSettings settings = StoreSettings.of(name, store);
                config.getMapConfig(name).setMapStoreConfig(LatticeMapStores.mapStoreConfig(name, settings, pool(), registry));
                stores.put(name, settings);
                log.info("Map {} is backed by table {} ({})", name, settings.table(), settings.mode());
            }
        });
    }

    /** Dead letters of a backed map, for operators; empty when the map has no store. */
    public Optional<DeadLetters> deadLetters(String mapName) {
        MapStoreSettings settings = stores.get(mapName);
        return settings == null ? Optional.empty() : Optional.of(LatticeMapStores.deadLetters(mapName, settings, pool));
    }

    /** Names of the maps backed by a table. */
    public Set<String> backedMaps() {
        return Collections.unmodifiableSet(stores.keySet());
    }

    private HikariDataSource pool() {
        if (pool == null) {
            DatasourceProperties datasource = properties.getDatasource();
            if (datasource.getUrl() == null || datasource.getUrl().isBlank()) {
                embedded = EmbeddedDatabase.start(datasource.getEmbedded().getDataDir(), datasource.getEmbedded().getPort());
                pool = LatticeMapStores.dataSource(embedded.dataSourceSettings(datasource.getPoolSize()), "embedded");
            } else {
                pool = LatticeMapStores.dataSource(StoreSettings.of(datasource), "grid");
            }
        }
        return pool;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
