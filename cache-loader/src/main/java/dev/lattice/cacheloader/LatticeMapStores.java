package dev.lattice.cacheloader;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.config.MapStoreConfig.InitialLoadMode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.config.DataSourceSettings;
import dev.lattice.cacheloader.config.InitialLoad;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.jdbc.DeadLetters;
import dev.lattice.cacheloader.jdbc.JdbcMapLoader;
import dev.lattice.cacheloader.jdbc.MapTable;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import dev.lattice.cacheloader.schema.TableSchema;
import dev.lattice.cacheloader.writebehind.DeleteBackups;
import dev.lattice.cacheloader.writebehind.PartitionLoad;
import dev.lattice.cacheloader.writebehind.WriteBehind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The entry point: turns typed settings into a Hazelcast {@link MapStoreConfig} backed by a
 * PostgreSQL table, and creates the connection pool it uses.
 *
 * <pre>{@code
 * HikariDataSource pool = LatticeMapStores.dataSource(dataSourceSettings, "orders");
 * LatticeMapStores.configureMember(config);
 * config.getMapConfig("orders").setMapStoreConfig(
 *         LatticeMapStores.mapStoreConfig("orders", orderSettings, pool, meterRegistry));
 * }</pre>
 */
public final class LatticeMapStores {

    /** The write delay Hazelcast sees for a write-behind map: a year, so its own store worker never finds work. */
    public static final int HAZELCAST_WORKER_DELAY_SECONDS = 365 * 24 * 3600;

    /**
     * How long Hazelcast's worker lets a backup keep a queued write before dropping it, whether or
     * not the owner stored it: Lattice sets it to the same year, so only Lattice's sweep, which
     * asks the owner, removes backup copies ({@link #configureMember}).
     */
    public static final String BACKUP_DROP_DELAY_PROPERTY = "hazelcast.map.replica.scheduled.task.delay.seconds";

    private LatticeMapStores() {
    }

    /**
     * Prepares a member's config for write-behind maps backed by Lattice; required on every member
     * that has one (their store refuses to start otherwise). Hazelcast's own write-behind worker,
     * which Lattice stops, still runs a pass on a member whose map was just created (a member
     * joining, or merging back after a split); that pass drops the backup copies of every write
     * queued longer than {@value #BACKUP_DROP_DELAY_PROPERTY} (10 s by default) whether the owner
     * stored it or not, so an owner's crash during a database outage then lost them. A year's
     * delay leaves backup copies to Lattice's sweep, which removes them once the owner has stored them.
     */
    public static Config configureMember(Config config) {
        DeleteBackups.configure(config);
        return config.setProperty(BACKUP_DROP_DELAY_PROPERTY, String.valueOf(HAZELCAST_WORKER_DELAY_SECONDS));
    }

    /**
     * Prepares the table ({@link MapStoreSettings#schemaAction()}), writes any writes a member saved
     * to {@link StoreEnvironment#spoolDirectory()} at its last shutdown (if the database answers;
     * otherwise before the map's first read or write), and returns an enabled map store config for
     * {@code mapName}: a {@link JdbcMapLoader} for {@code READ_THROUGH}, a {@link JdbcMapStore}
     * otherwise. Call once per member: the implementation instance is per member.
     *
     * @throws IllegalStateException if the table is missing or wrong, naming the table and what is wrong
     */
    public static MapStoreConfig mapStoreConfig(String mapName, MapStoreSettings settings, StoreEnvironment environment) {
        Objects.requireNonNull(mapName, "mapName");
        TableSchema.prepare(environment.dataSource(), settings);
        MapTable table = new MapTable(mapName, settings, environment.dataSource(), new MapStoreMetrics(environment.registry(), mapName));
        Object implementation;
        if (settings.mode() == StoreMode.READ_THROUGH) {
            implementation = new JdbcMapLoader(table, instance -> WriteBehind.ownership(instance, mapName),
                    instance -> PartitionLoad.of(instance, mapName),
                    environment.minimumClusterSize());
        } else {
            JdbcMapStore store = new JdbcMapStore(table, environment);
            store.replaySpool();
            implementation = store;
        }
        MapStoreConfig config = new MapStoreConfig()
                .setEnabled(true)
                .setImplementation(implementation)
                .setInitialLoadMode(settings.initialLoad() == InitialLoad.EAGER ? InitialLoadMode.EAGER : InitialLoadMode.LAZY);
        if (settings.mode() == StoreMode.WRITE_BEHIND) {
            // Hazelcast keeps the write-behind queues; Lattice's drainer applies the real delay and does
            // the storing (see JdbcMapStore). Hazelcast's own worker, which reads only this value, would
            // store concurrently with its retry loop of one-second sleeps: a year's delay keeps it idle.
            config.setWriteDelaySeconds(HAZELCAST_WORKER_DELAY_SECONDS)
                    .setWriteBatchSize(settings.writeBatchSize())
                    .setWriteCoalescing(settings.writeCoalescing());
        } else {
            config.setWriteDelaySeconds(0);
        }
        return config;
    }

    /** As {@link #mapStoreConfig(String, MapStoreSettings, StoreEnvironment)} with the environment's defaults. */
    public static MapStoreConfig mapStoreConfig(String mapName, MapStoreSettings settings, DataSource dataSource,
                                                MeterRegistry registry) {
        return mapStoreConfig(mapName, settings, StoreEnvironment.builder(dataSource).meterRegistry(registry).build());
    }

    /**
     * A HikariCP pool for {@code settings}; close it when the member stops. The connection timeout
     * is short so an unreachable database fails a write fast and the write stays queued.
     */
    public static HikariDataSource dataSource(DataSourceSettings settings, String poolName) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("lattice-" + poolName);
        hikari.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            hikari.setUsername(settings.user());
        }
        String password = settings.resolvePassword();
        if (password != null) {
            hikari.setPassword(password);
        }
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(settings.connectionTimeout().toMillis());
        hikari.setValidationTimeout(Math.min(settings.connectionTimeout().toMillis(), 1000));
        // Let the pool start while the database is still down; the first write then fails and is retried.
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("socketTimeout", String.valueOf(settings.socketTimeout().getSeconds()));
        hikari.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, settings.connectionTimeout().getSeconds())));
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        // PostgreSQL's error details ("Failing row contains (...)") echo values; keep them out of exceptions and logs.
        hikari.addDataSourceProperty("logServerErrorDetail", "false");
        return new HikariDataSource(hikari);
    }

    /** Operator access to {@code mapName}'s dead letters: list, replay, drop. */
    public static DeadLetters deadLetters(String mapName, MapStoreSettings settings, DataSource dataSource) {
        return new DeadLetters(new MapTable(mapName, settings, dataSource, new MapStoreMetrics(new SimpleMeterRegistry(), mapName)));
    }
}
