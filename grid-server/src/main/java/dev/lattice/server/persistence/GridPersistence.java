package dev.lattice.server.persistence;

import com.hazelcast.config.Config;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.LatticeMapStores;
import dev.lattice.cacheloader.StoreEnvironment;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.server.embedded.EmbeddedDatabase;
import dev.lattice.cacheloader.jdbc.DeadLetters;
import dev.lattice.server.config.DatasourceSettings;
import dev.lattice.server.config.GridSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
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

    private final GridSettings settings;
    private final MeterRegistry registry;
    private final Map<String, MapStoreSettings> stores = new LinkedHashMap<>();
    private EmbeddedDatabase embedded;
    private HikariDataSource pool;
    private StoreEnvironment environment;

    public GridPersistence(GridSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
    }

    /** Puts a map store on every map of {@code config} that has a {@code store}. */
    public void apply(Config config) {
        LatticeMapStores.configureMember(config);
        settings.backedMaps().forEach((name, map) -> {
            MapStoreSettings store = map.store();
            config.getMapConfig(name).setMapStoreConfig(LatticeMapStores.mapStoreConfig(name, store, environment()));
            stores.put(name, store);
            log.info("Map {} is backed by table {} ({})", name, store.table(), store.mode());
        });
    }

    /** Dead letters of a backed map, for operators; empty when the map has no store. */
    public Optional<DeadLetters> deadLetters(String mapName) {
        MapStoreSettings settings = stores.get(mapName);
        return settings == null ? Optional.empty() : Optional.of(LatticeMapStores.deadLetters(mapName, settings, pool));
    }

    /** Settings of every map backed by a table, by map name. */
    Map<String, MapStoreSettings> stores() {
        return Collections.unmodifiableMap(stores);
    }

    /** Names of the maps backed by a table. */
    public Set<String> backedMaps() {
        return Collections.unmodifiableSet(stores.keySet());
    }

    private StoreEnvironment environment() {
        if (environment == null) {
            environment = StoreEnvironment.builder(pool())
                    .meterRegistry(registry)
                    .spoolDirectory(settings.datasource().spoolDirectory())
                    .minimumClusterSize(settings.minimumClusterSize())
                    .writeParallelism(settings.datasource().writeParallelism())
                    .build();
        }
        return environment;
    }

    /** The pool, or null when no map is backed by a table. */
    public HikariDataSource dataSource() {
        return pool;
    }

    private HikariDataSource pool() {
        if (pool == null) {
            DatasourceSettings datasource = settings.datasource();
            if (datasource.external() == null) {
                embedded = EmbeddedDatabase.start(datasource.embeddedDataDir(), datasource.embeddedPort());
                pool = LatticeMapStores.dataSource(embedded.dataSourceSettings(datasource.poolSize()), "embedded");
            } else {
                pool = LatticeMapStores.dataSource(datasource.external(), "grid");
            }
            awaitDatabase(pool, datasource.startupTimeout());
        }
        return pool;
    }

    /** Waits until the database answers, so a node started just before its database (or on a busy host) still starts. */
    private static void awaitDatabase(HikariDataSource pool, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        do {
            try (Connection connection = pool.getConnection()) {
                return;
            } catch (SQLException e) {
                last = e;
                log.info("Waiting for the database at {} ({})", pool.getJdbcUrl().replaceFirst("\\?.*", ""), e.getMessage());
            }
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("The database at " + pool.getJdbcUrl().replaceFirst("\\?.*", "")
                + " did not answer within lattice.datasource.startup-timeout (" + timeout.toSeconds() + "s): "
                + last.getMessage(), last);
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
