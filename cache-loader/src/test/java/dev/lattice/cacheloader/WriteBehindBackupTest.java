package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindManager;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The backups' copies of a member's queued writes: kept until the owner has stored them, never
 * dropped on a timer, and not kept after that.
 *
 * <p>Hazelcast's backups drop a queued write a fixed delay after the owner <em>should</em> have
 * stored it ({@code hazelcast.map.replica.scheduled.task.delay.seconds}, 10 s), whether or not it
 * did. With the owner unable to reach the database for longer than that while its backups' members
 * worked normally, the owner's crash lost every write only it still held; the first test failed
 * that way (stale values in the table) before Lattice took over the backups' cleanup.
 */
class WriteBehindBackupTest extends DatabaseBackedTest {

    /** Longer than Hazelcast's 10 s backup delay: the outage the old behaviour could not survive. */
    private static final Duration OUTAGE = Duration.ofSeconds(14);

    /** One registry per member, as on real nodes: in one shared registry the first member's gauges would hide the others'. */
    private final List<SimpleMeterRegistry> registries = new CopyOnWriteArrayList<>();

    private static MapStoreSettings writeBehind() {
        return MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(1)).writeBatchSize(200)
                .table("ledger").valueType(ValueType.TEXT).maxRetryBackoff(Duration.ofSeconds(1)).build();
    }

    @Test
    void ownerCutOffFromTheDatabaseLongerThanTheBackupDelay_thenKilled_theBackupsStoreItsWrites() {
        try (TcpProxy proxy = TcpProxy.start(Fixtures.host(db), Fixtures.port(db));
             HikariDataSource viaProxy = Fixtures.pool(Fixtures.viaPort(db, proxy.port()), db);
             // Member 1 reaches the database through the proxy, the others directly: only member 1 falls behind.
             LocalCluster cluster = cluster(member -> member == 1 ? viaProxy : pool)) {
            IMap<String, String> ledger = cluster.newClient().getMap("ledger");
            Map<String, String> acknowledged = new HashMap<>();
            for (int i = 0; i < 1500; i++) {
                ledger.set("k" + i, "v" + i);
                acknowledged.put("k" + i, "v" + i);
            }
            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(Fixtures.rows(pool, "ledger")).isEqualTo(acknowledged));

            proxy.cut();
            for (int i = 0; i < 1500; i++) {
                ledger.set("k" + i, "w" + i);
                acknowledged.put("k" + i, "w" + i);
            }
            // The fault itself, not a wait for a condition: member 1 stays cut off this long.
            LockSupport.parkNanos(OUTAGE.toNanos());
            assertThat(stale(acknowledged)).as("member 1 owns some keys, so some updates wait for it").isNotEmpty();
            cluster.terminate(1);

            cluster.awaitSafe(Duration.ofSeconds(60));
            await().dontCatchUncaughtExceptions().atMost(60, SECONDS).untilAsserted(() -> assertThat(stale(acknowledged))
                    .as("acknowledged writes missing or stale in the table").isEmpty());
        }
    }

    @Test
    void afterTheOwnersStoreTheirWrites_theBackupsHoldNoCopies() {
        try (LocalCluster cluster = cluster(member -> pool)) {
            IMap<String, String> ledger = cluster.newClient().getMap("ledger");
            Map<String, String> acknowledged = new HashMap<>();
            for (int i = 0; i < 3000; i++) {
                ledger.set("k" + (i % 1000), "v" + i);
                acknowledged.put("k" + (i % 1000), "v" + i);
            }
            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(Fixtures.rows(pool, "ledger")).isEqualTo(acknowledged));

            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(backupBacklog())
                    .as("queued copies the backups still hold").isZero());
        }
    }

    /**
     * Hazelcast's own write-behind worker runs at least one pass on a member whose map was just
     * created (a member joining, or merging back after a split) before Lattice stops it, and that
     * pass drops the member's backup copies of every write queued longer than Hazelcast's backup
     * delay (10 s), stored or not. Before Lattice raised that delay, the copies a joining member
     * received of writes an owner could not store were gone after its first pass, and the owner's
     * crash lost them. The pass is run here on purpose, as Hazelcast schedules it.
     */
    @Test
    void memberJoiningDuringALongOutage_keepsTheBackupCopiesItReceived_andTheOwnersCrashLosesNothing() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(Fixtures.host(db), Fixtures.port(db));
             HikariDataSource viaProxy = Fixtures.pool(Fixtures.viaPort(db, proxy.port()), db);
             // The first two members reach the database through the proxy; the one joining during the cut, directly.
             LocalCluster cluster = LocalCluster.builder().members(2).spareSlots(1).customize(config -> LatticeMapStores.configureMember(config)
                     .getMapConfig("ledger").setBackupCount(1).setMapStoreConfig(LatticeMapStores.mapStoreConfig("ledger",
                             writeBehind(), registries.size() < 2 ? viaProxy : pool, register()))).start()) {
            IMap<String, String> ledger = cluster.newClient().getMap("ledger");
            proxy.cut();
            Map<String, String> acknowledged = new HashMap<>();
            for (int i = 0; i < 2000; i++) {
                ledger.set("k" + i, "v" + i);
                acknowledged.put("k" + i, "v" + i);
            }
            // The fault itself, not a wait for a condition: the writes must be older than Hazelcast's backup delay.
            LockSupport.parkNanos(OUTAGE.toNanos());

            HazelcastInstance joined = cluster.startMember();
            cluster.awaitSafe(Duration.ofSeconds(60));
            hazelcastStorePass(joined);
            cluster.terminate(0);
            cluster.awaitSafe(Duration.ofSeconds(60));

            proxy.restore();
            await().dontCatchUncaughtExceptions().atMost(60, SECONDS).untilAsserted(() -> assertThat(stale(acknowledged))
                    .as("acknowledged writes missing or stale in the table").isEmpty());
        }
    }

    private SimpleMeterRegistry register() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registries.add(registry);
        return registry;
    }

    @Test
    void memberNotPreparedForLattice_refusesTheWriteBehindMap_namingTheProperty() {
        try (LocalCluster cluster = LocalCluster.builder().members(1).customize(config -> config.getMapConfig("ledger")
                .setMapStoreConfig(LatticeMapStores.mapStoreConfig("ledger", writeBehind(), pool, new SimpleMeterRegistry())))
                .start()) {
            assertThatThrownBy(() -> cluster.member(0).getMap("ledger").set("k", "v"))
                    .hasStackTraceContaining("write-behind map 'ledger': member property "
                            + "hazelcast.map.replica.scheduled.task.delay.seconds is 10 s")
                    .hasStackTraceContaining("LatticeMapStores.configureMember(config)");
            assertThat(Fixtures.rows(pool, "ledger")).as("nothing stored through a store that did not start").isEmpty();
        }
    }

    /** One pass of Hazelcast's write-behind worker on {@code member}, as its scheduler runs it. */
    private static void hazelcastStorePass(HazelcastInstance member) throws ReflectiveOperationException {
        MapService service = ((HazelcastInstanceProxy) member).getOriginal().node.getNodeEngine().getService(MapService.SERVICE_NAME);
        Object manager = service.getMapServiceContext().getExistingMapContainer("ledger").getMapStoreContext().getMapStoreManager();
        Field worker = WriteBehindManager.class.getDeclaredField("storeWorker");
        worker.setAccessible(true);
        ((Runnable) worker.get(manager)).run();
    }

    /** Three members, member {@code i} writing through {@code dataSources.apply(i)}. */
    private LocalCluster cluster(IntFunction<DataSource> dataSources) {
        return LocalCluster.builder().members(3).customize(config -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            DataSource dataSource = dataSources.apply(registries.size());
            registries.add(registry);
            LatticeMapStores.configureMember(config).getMapConfig("ledger").setBackupCount(1)
                    .setMapStoreConfig(LatticeMapStores.mapStoreConfig("ledger", writeBehind(), dataSource, registry));
        }).start();
    }

    private double backupBacklog() {
        assertThat(registries).hasSize(3);
        return registries.stream().mapToDouble(r -> r.get(MapStoreMetrics.BACKUP_BACKLOG).tag("map", "ledger").gauge().value())
                .sum();
    }

    private Map<String, String> stale(Map<String, String> acknowledged) {
        Map<String, String> rows = Fixtures.rows(pool, "ledger");
        Map<String, String> wrong = new HashMap<>();
        acknowledged.forEach((k, v) -> {
            if (!v.equals(rows.get(k))) {
                wrong.put(k, "acknowledged " + v + ", table has " + rows.get(k));
            }
        });
        return wrong;
    }
}
