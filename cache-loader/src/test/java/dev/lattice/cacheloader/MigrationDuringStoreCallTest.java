package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.config.DataSourceSettings;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.schema.TableSchema;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Members joining while clients write through calls that reach the database before they change the
 * grid: {@code put} on a write-behind map reads the old value from the table first, and {@code set}
 * on a write-through map writes the row first. Since Hazelcast 5.2 such calls leave the partition
 * thread while the database works, and a partition can migrate to a joining member meanwhile. The
 * table is locked while two members join, so every writer's call is waiting on it across the
 * migrations; each acknowledged write must then be in the grid and in the table.
 *
 * <p>Both passed from their first run, and the write-through one also with Lattice's ownership fence
 * disabled: in those runs 6-12 of the 16 waiting calls had their partition moved, and every one
 * ended with its acknowledged value on the new owner. So Hazelcast keeps these calls safe (which of
 * its mechanisms does it was not traced); the test pins that, which write-behind {@code put} relies
 * on, against a Hazelcast upgrade.
 */
class MigrationDuringStoreCallTest {

    private static final Logger log = LoggerFactory.getLogger(MigrationDuringStoreCallTest.class);
    private static final int WRITERS = 16;

    @Test
    void membersJoiningDuringPutsOnAWriteBehindMap_loseNoAcknowledgedPut() throws Exception {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(2))
                .table("ledger").valueType(ValueType.TEXT).build();
        runAndCheck(settings, (map, key, value) -> map.put(key, value));
    }

    @Test
    void membersJoiningDuringSetsOnAWriteThroughMap_leaveNoStaleEntryInTheGrid() throws Exception {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH)
                .table("ledger").valueType(ValueType.TEXT).build();
        runAndCheck(settings, (map, key, value) -> map.set(key, value));
    }

    private interface Write {
        void apply(IMap<String, String> map, String key, String value);
    }

    private void runAndCheck(MapStoreSettings settings, Write write) throws Exception {
        try (TestDatabase db = PostgresFixture.createDatabase();
             // Connections enough for every writer, and a wait longer than the lock below.
             HikariDataSource pool = LatticeMapStores.dataSource(DataSourceSettings.builder().url(db.jdbcUrl()).user(db.user())
                     .password(db.password()).poolSize(WRITERS + 4).connectionTimeout(Duration.ofSeconds(60)).build(), db.name())) {
            TableSchema.migrate(pool, settings);
            // Built up front: building one checks the table, which is locked while the later members join.
            Deque<MapStoreConfig> stores = new ArrayDeque<>();
            for (int i = 0; i < 3; i++) {
                stores.add(LatticeMapStores.mapStoreConfig("ledger", settings, pool, new SimpleMeterRegistry()));
            }
            try (LocalCluster cluster = LocalCluster.builder().members(1).spareSlots(3).customize(config ->
                    LatticeMapStores.configureMember(config).getMapConfig("ledger").setBackupCount(1)
                            .setMapStoreConfig(stores.pop()))
                    .start()) {
                IMap<String, String> map = cluster.newClient().getMap("ledger");
                Writers writers = new Writers(map, write);
                try {
                    await().atMost(30, SECONDS).until(() -> writers.acknowledged.size() > 2_000);
                    joinTwoMembersWithTheTableLocked(cluster, db, writers);
                    await().atMost(30, SECONDS).until(() -> writers.acknowledged.size() > 8_000);
                } finally {
                    writers.stop();
                }
                cluster.awaitSafe(Duration.ofSeconds(60));
                log.info("{} keys acknowledged, {} calls failed", writers.acknowledged.size(), writers.failed.get());
                assertEveryAcknowledgedWriteIn(map, pool, writers.acknowledged);
            }
        }
    }

    /**
     * Every call that reaches the table waits on the lock, off the partition thread, while the members
     * join and the partitions migrate.
     */
    private void joinTwoMembersWithTheTableLocked(LocalCluster cluster, TestDatabase db, Writers writers) throws Exception {
        try (Connection admin = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = admin.createStatement()) {
            admin.setAutoCommit(false);
            s.execute("LOCK TABLE ledger IN ACCESS EXCLUSIVE MODE");
            cluster.startMember();
            cluster.startMember();
            cluster.awaitSafe(Duration.ofSeconds(60));
            // The members' partition table, not the client's: the client learns of the moves later.
            HazelcastInstance first = cluster.member(0);
            Member firstMember = first.getCluster().getLocalMember();
            List<String> moved = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String key = writers.inFlight.get(w);
                if (!first.getPartitionService().getPartition(key).getOwner().getUuid().equals(firstMember.getUuid())) {
                    moved.add(key);
                }
            }
            log.info("members joined with the table locked; {} of {} calls waiting on the table had their partition moved: {}",
                    moved.size(), WRITERS, moved);
            // Each partition stays on the first member with odds of about 1 in 3: all 16 staying is 1 in 43 million.
            assertThat(moved).as("calls waiting on the table whose partition moved: the case under test").isNotEmpty();
            admin.commit();
        }
    }

    private static void assertEveryAcknowledgedWriteIn(IMap<String, String> map, DataSource pool, Map<String, String> acknowledged) {
        Map<String, String> inGrid = map.getAll(acknowledged.keySet());
        assertThat(differences(acknowledged, inGrid)).as("acknowledged writes missing or stale in the grid").isEmpty();
        await().atMost(60, SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(differences(acknowledged, Fixtures.rows(pool, "ledger")))
                        .as("acknowledged writes missing or stale in the table").isEmpty());
    }

    private static Map<String, String> differences(Map<String, String> acknowledged, Map<String, String> found) {
        Map<String, String> wrong = new TreeMap<>();
        acknowledged.forEach((k, v) -> {
            if (!v.equals(found.get(k))) {
                wrong.put(k, "acknowledged " + v + ", found " + found.get(k));
            }
        });
        return wrong;
    }

    /**
     * Writers each writing new keys twice until stopped: the first write of a key misses the grid and
     * asks the table. A call that failed makes its key uncertain, so the key leaves the ledger.
     */
    private static final class Writers {
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final AtomicReferenceArray<String> inFlight = new AtomicReferenceArray<>(WRITERS);
        final AtomicInteger failed = new AtomicInteger();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        private final List<Future<?>> running = new ArrayList<>();

        Writers(IMap<String, String> map, Write write) {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                running.add(pool.submit(() -> {
                    for (int i = 0; !stopped.get(); i++) {
                        String key = "w" + writer + "-" + (i / 2);
                        String value = "v" + i;
                        inFlight.set(writer, key);
                        try {
                            write.apply(map, key, value);
                            acknowledged.put(key, value);
                        } catch (RuntimeException e) {
                            if (failed.incrementAndGet() <= 2) {
                                log.warn("write of {} failed", key, e);
                            }
                            acknowledged.remove(key);
                        }
                    }
                }));
            }
        }

        void stop() throws Exception {
            stopped.set(true);
            try {
                for (Future<?> f : running) {
                    f.get(60, SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
