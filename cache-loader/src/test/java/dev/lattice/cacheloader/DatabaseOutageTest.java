package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.IMap;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.jdbc.StoreFailedException;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TcpProxy;
import dev.lattice.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away in the middle of a write stream; every write must still land once it is
 * back. Writes use {@code set}: {@code put} returns the old value, which Hazelcast reads through the
 * loader first, so a {@code put} of a key not in memory fails while the database is down.
 */
class DatabaseOutageTest {

    private TestDatabase db;
    private HikariDataSource direct;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void setUp() {
        db = PostgresFixture.createDatabase();
        direct = Fixtures.pool(db);
    }

    @AfterEach
    void tearDown() {
        direct.close();
        db.close();
    }

    private static MapStoreSettings writeBehind() {
        return MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(1)).writeBatchSize(100)
                .table("ledger").valueType(ValueType.TEXT).maxRetryBackoff(Duration.ofSeconds(2)).build();
    }

    private double counter(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void writeBehind_proxyCutMidStream_queuesEverything_andDrainsOnceRestored() {
        try (TcpProxy proxy = TcpProxy.start(Fixtures.host(db), Fixtures.port(db));
             HikariDataSource viaProxy = Fixtures.pool(Fixtures.viaPort(db, proxy.port()), db);
             LocalCluster cluster = Fixtures.cluster(1, "ledger", writeBehind(), viaProxy, registry, c -> { })) {
            IMap<String, String> ledger = cluster.newClient().getMap("ledger");
            Map<String, String> acknowledged = new HashMap<>();
            for (int i = 0; i < 3000; i++) {
                if (i == 1000) {
                    proxy.cut();
                }
                ledger.set("k" + i, "v" + i);
                acknowledged.put("k" + i, "v" + i);
            }
            for (int i = 0; i < 3000; i += 7) {
                ledger.set("k" + i, "w" + i);
                acknowledged.put("k" + i, "w" + i);
            }

            await().atMost(30, SECONDS).untilAsserted(() -> {
                assertThat(registry.get(MapStoreMetrics.BACKLOG).tag("map", "ledger").gauge().value()).isPositive();
                assertThat(counter(MapStoreMetrics.RETRIES, "map", "ledger")).isPositive();
                assertThat(counter(MapStoreMetrics.DATABASE_ERRORS, "map", "ledger", "kind", "database_failed")).isPositive();
            });
            assertThat(Fixtures.rows(direct, "ledger")).as("nothing reaches the table during the cut").hasSizeLessThan(3000);
            assertThat(counter(MapStoreMetrics.DEAD_LETTERS, "map", "ledger")).as("an outage never dead-letters").isZero();
            // A put answers the old value, so for a key not in memory it reads the table first: it fails like a read.
            assertThatThrownBy(() -> ledger.put("not-in-memory", "x")).as("put of a key not in memory during the cut")
                    .isInstanceOf(StoreFailedException.class);

            proxy.restore();
            await().atMost(90, SECONDS).untilAsserted(() -> assertThat(Fixtures.rows(direct, "ledger")).isEqualTo(acknowledged));
            assertThat(ledger.get("not-in-memory")).as("the failed put left nothing").isNull();
            await().atMost(10, SECONDS).untilAsserted(() -> assertThat(
                    registry.get(MapStoreMetrics.BACKLOG).tag("map", "ledger").gauge().value()).isZero());
            assertThat(Fixtures.count(direct, "SELECT count(*) FROM lattice_dead_letter")).isZero();
        }
    }

    /**
     * A member stopping while the database is down, with hundreds of batches due: its round must
     * end at the first failed batch, not wait out a connection timeout per batch, or the member
     * overruns Kubernetes' grace period and is killed with its queue. Everything goes to the spool
     * and reaches the table when a member starts again with it.
     */
    @Test
    void writeBehind_databaseDown_aMemberStoppingWithHundredsOfBatchesDue_stopsWellInsideItsGracePeriod_andLosesNothing(
            @TempDir Path spool) {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(3))
                .writeBatchSize(10).table("ledger").valueType(ValueType.TEXT).maxRetryBackoff(Duration.ofSeconds(2)).build();
        Map<String, String> acknowledged = new HashMap<>();
        try (TcpProxy proxy = TcpProxy.start(Fixtures.host(db), Fixtures.port(db));
             HikariDataSource viaProxy = Fixtures.pool(Fixtures.viaPort(db, proxy.port()), db)) {
            StoreEnvironment environment = StoreEnvironment.builder(viaProxy).meterRegistry(registry).spoolDirectory(spool).build();
            LocalCluster cluster = LocalCluster.builder().members(1).customize(config -> LatticeMapStores.configureMember(config).getMapConfig("ledger")
                    .setMapStoreConfig(LatticeMapStores.mapStoreConfig("ledger", settings, environment))).start();
            try (cluster) {
                proxy.cut();
                IMap<String, String> ledger = cluster.newClient().getMap("ledger");
                for (int i = 0; i < 3000; i++) {
                    acknowledged.put("k" + i, "v" + i);
                }
                // One call, so all of them fall due in the same round: 300 batches against the dead database.
                ledger.putAll(acknowledged);
                await().atMost(30, SECONDS).until(() -> counter(MapStoreMetrics.DATABASE_ERRORS, "map", "ledger", "kind",
                        "database_failed") > 0);

                long stopping = System.nanoTime();
                cluster.shutdown(0);
                assertThat(Duration.ofNanos(System.nanoTime() - stopping)).as("stop, of a 30 s grace period")
                        .isLessThan(Duration.ofSeconds(10));
            }
        }
        try (LocalCluster restarted = LocalCluster.builder().members(1).customize(config -> LatticeMapStores.configureMember(config).getMapConfig("ledger")
                .setMapStoreConfig(LatticeMapStores.mapStoreConfig("ledger", settings,
                        StoreEnvironment.builder(direct).spoolDirectory(spool).build()))).start()) {
            restarted.member(0).getMap("ledger"); // creates the map's store, which replays the spool; nothing is written
            await().atMost(60, SECONDS).untilAsserted(() -> assertThat(Fixtures.rows(direct, "ledger")).isEqualTo(acknowledged));
        }
    }

    @Test
    void writeBehind_serverTerminatesConnectionsDuringStream_nothingIsLost() throws Exception {
        try (LocalCluster cluster = Fixtures.cluster(1, "ledger", writeBehind(), direct, registry, c -> { })) {
            IMap<String, String> ledger = cluster.newClient().getMap("ledger");
            Map<String, String> acknowledged = new HashMap<>();
            for (int i = 0; i < 3000; i++) {
                ledger.set("k" + i, "v" + i);
                acknowledged.put("k" + i, "v" + i);
                if (i % 500 == 250) {
                    // What a failover or an operator's pg_terminate_backend does to every pooled connection.
                    terminateOtherConnections();
                }
            }
            terminateOtherConnections();

            await().atMost(90, SECONDS).ignoreExceptions()
                    .untilAsserted(() -> assertThat(Fixtures.rows(direct, "ledger")).isEqualTo(acknowledged));
            assertThat(Fixtures.count(direct, "SELECT count(*) FROM lattice_dead_letter")).isZero();
        }
    }

    private void terminateOtherConnections() throws Exception {
        try (Connection admin = db.connect(); PreparedStatement ps = admin.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, db.name());
            ps.execute();
        }
    }

    @Test
    void writeThrough_databaseUnreachable_callerSeesTheFailure_andTheMapKeepsNothing() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH).table("ledger")
                .valueType(ValueType.TEXT).build();
        try (TcpProxy proxy = TcpProxy.start(Fixtures.host(db), Fixtures.port(db));
             HikariDataSource viaProxy = Fixtures.pool(Fixtures.viaPort(db, proxy.port()), db);
             LocalCluster cluster = Fixtures.cluster(1, "ledger", settings, viaProxy, registry, c -> { })) {
            IMap<String, String> ledger = cluster.newClient().getMap("ledger");
            ledger.set("before", "1");
            proxy.cut();

            assertThatThrownBy(() -> ledger.set("during", "2")).hasMessageContaining("map 'ledger': storing failed")
                    .hasMessageContaining("not written");

            proxy.restore();
            await().atMost(30, SECONDS).ignoreExceptions().until(() -> {
                ledger.set("after", "3");
                return true;
            });
            assertThat(Fixtures.rows(direct, "ledger")).containsOnlyKeys("before", "after");
            assertThat(ledger.containsKey("during")).as("a failed write-through set is not kept in memory either").isFalse();
        }
    }
}
