package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.schema.TableSchema;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * <p>The write-behind {@code put} and write-through {@code set} cases passed from their first run, the
 * second also with Lattice's ownership fence disabled: in those runs 6-12 of the 16 waiting calls had
 * their partition moved, and every one ended with its acknowledged value on the new owner. What keeps
 * them safe (traced in the nineteenth session): the step after the database call, back on the
 * partition thread, finds the partition moved or migrating and fails the attempt, and the member that
 * received the call runs it again on the owner. Every call's answer is checked too: that repeat is what
 * made a write-through {@code put} answer its own value ({@code FirstStore}).
 */
class MigrationDuringStoreCallTest {

    private static final Logger log = LoggerFactory.getLogger(MigrationDuringStoreCallTest.class);
    private static final int WRITERS = 16;
    /** Blocks reads of the table too. */
    private static final String ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE";

    @Test
    void membersJoiningDuringPutsOnAWriteBehindMap_loseNoAcknowledgedPut() throws Exception {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(2))
                .table("ledger").valueType(ValueType.TEXT).build();
        runAndCheck(settings, ACCESS_EXCLUSIVE, 0, (map, key, previous, value) -> map.put(key, value));
    }

    /**
     * A {@code put} whose partition moved while its row was being written: Hazelcast's next step, back on
     * the partition thread, finds the partition gone and the whole {@code put} runs again on the new owner,
     * which reads the row the first attempt wrote and, without Lattice's put, answered the call's own value
     * as the key's previous one (fault suite, write-through, seventeenth session). The table is locked
     * against writes only, so a first {@code put} of a key reads its row (half of them have one, which is
     * the answer the repeat must give) and then waits to write it.
     */
    @Test
    void membersJoiningDuringPutsOnAWriteThroughMap_answerEachKeysPreviousValue() throws Exception {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH)
                .table("ledger").valueType(ValueType.TEXT).build();
        runAndCheck(settings, "EXCLUSIVE", 2_000, (map, key, previous, value) -> map.put(key, value));
    }

    /**
     * As above, for {@code putIfAbsent} of a key with no row (without Lattice's operation a retry read the
     * row its first attempt wrote and answered "present"), and {@code replace(key, old, new)} of a key
     * whose row is in the table but not in memory (which Hazelcast answers right: it puts the row it
     * read into memory before the store, so the retry finds it there).
     */
    @Test
    void membersJoiningDuringConditionalWritesOnAWriteThroughMap_answerAsTheWritesHappened() throws Exception {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH)
                .table("ledger").valueType(ValueType.TEXT).build();
        runAndCheck(settings, "EXCLUSIVE", 2_000, (map, key, previous, value) -> {
            if (previous == null) {
                String present = map.putIfAbsent(key, value);
                return present == null ? null : Writers.notApplied("putIfAbsent answered " + present);
            }
            return map.replace(key, previous, value) ? previous : Writers.notApplied("replace answered false");
        });
    }

    @Test
    void membersJoiningDuringSetsOnAWriteThroughMap_leaveNoStaleEntryInTheGrid() throws Exception {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH)
                .table("ledger").valueType(ValueType.TEXT).build();
        runAndCheck(settings, ACCESS_EXCLUSIVE, 0, (map, key, previous, value) -> {
            map.set(key, value);
            return Writers.NO_ANSWER;
        });
    }

    /**
     * A write-through {@code putAll} stores its entries of a partition in one transaction, which locks the
     * partition's fence row while it waits; the new owner's claim waits for it, and the step after the store
     * finds the partition moved, so Hazelcast runs that partition's part of the call again on the new owner.
     */
    @Test
    void membersJoiningDuringPutAllsOnAWriteThroughMap_leaveEveryAcknowledgedEntryInTheGrid() throws Exception {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH)
                .table("ledger").valueType(ValueType.TEXT).build();
        runAndCheck(settings, ACCESS_EXCLUSIVE, 0, (map, key, previous, value) -> {
            map.putAll(Map.of(key, value));
            return Writers.NO_ANSWER;
        });
    }

    private interface Write {
        /**
         * Writes {@code value}; {@code previous} is the key's last acknowledged value (null for none).
         * Answers what the call says the previous value was, {@link Writers#NO_ANSWER}, or, for a
         * conditional write that found its condition false, {@link Writers#notApplied}.
         */
        Object apply(IMap<String, String> map, String key, String previous, String value);
    }

    /**
     * Writers write while two members join with the table locked in {@code lockMode}; {@code seeded} keys
     * of each writer (every other one of its first {@code 2 * seeded}) have a row before the map starts.
     */
    private void runAndCheck(MapStoreSettings settings, String lockMode, int seeded, Write write) throws Exception {
        try (TestDatabase db = PostgresFixture.createDatabase();
             HikariDataSource pool = Fixtures.patientPool(db, WRITERS)) {
            TableSchema.migrate(pool, settings);
            Map<String, String> seeds = seed(pool, seeded);
            try (LocalCluster cluster = Fixtures.oneMemberWithRoomToJoin("ledger", settings, pool, 2)) {
                IMap<String, String> map = cluster.newClient().getMap("ledger");
                Writers writers = new Writers(map, write, seeds);
                try {
                    await().atMost(30, SECONDS).until(() -> writers.written.get() > 2_000);
                    joinTwoMembersWithTheTableLocked(cluster, db, lockMode, writers);
                    await().atMost(30, SECONDS).until(() -> writers.written.get() > 8_000);
                } finally {
                    writers.stop();
                }
                cluster.awaitSafe(Duration.ofSeconds(60));
                log.info("{} keys acknowledged, {} calls failed", writers.acknowledged.size(), writers.failed.get());
                // Answers first: a wrong one explains a missing or stale write found after it.
                assertThat(writers.wrongAnswers).as("writes whose answer was not the key's previous acknowledged value").isEmpty();
                assertThat(writers.failed).as("calls failed while members joined (a migration is the grid's to hide)").hasValue(0);
                assertEveryAcknowledgedWriteIn(map, pool, writers.acknowledged);
            }
        }
    }

    /**
     * Every call that reaches the table waits on the lock, off the partition thread, while the members
     * join and the partitions migrate.
     */
    private void joinTwoMembersWithTheTableLocked(LocalCluster cluster, TestDatabase db, String lockMode, Writers writers)
            throws Exception {
        try (Connection admin = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = admin.createStatement()) {
            admin.setAutoCommit(false);
            s.execute("LOCK TABLE ledger IN " + lockMode + " MODE");
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

    /** Rows for keys {@code w<writer>-<n>} with odd {@code n}: their first write finds a row only the table holds. */
    private static Map<String, String> seed(DataSource pool, int perWriter) {
        Map<String, String> seeds = new TreeMap<>();
        for (int w = 0; w < WRITERS; w++) {
            for (int n = 0; n < perWriter; n++) {
                seeds.put("w" + w + "-" + (2 * n + 1), "seed");
            }
        }
        Fixtures.execute(pool, "INSERT INTO ledger (id, value) SELECT 'w' || w || '-' || (2 * n + 1), 'seed'"
                + " FROM generate_series(0, ? - 1) w, generate_series(0, ? - 1) n", WRITERS, perWriter);
        assertThat(Fixtures.rows(pool, "ledger")).isEqualTo(seeds);
        return seeds;
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
     * asks the table. A call that failed makes its key uncertain, so the key leaves the ledger, and the
     * answer of its next write is not checked. A conditional write that did not apply changed nothing:
     * it is a wrong answer where the key was certain, and its value is not acknowledged. (Before the
     * twenty-second session it was, so a failed {@code replace} followed by a {@code putIfAbsent} that
     * found the key's old value showed as "acknowledged v159, found seed".)
     */
    private static final class Writers {
        static final Object NO_ANSWER = new Object();

        /** The answer of a conditional write whose condition was false: nothing was written. */
        record NotApplied(String answer) {
        }

        static NotApplied notApplied(String answer) {
            return new NotApplied(answer);
        }

        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final List<String> wrongAnswers = Collections.synchronizedList(new ArrayList<>());
        final AtomicReferenceArray<String> inFlight = new AtomicReferenceArray<>(WRITERS);
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger written = new AtomicInteger();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        private final List<Future<?>> running = new ArrayList<>();

        Writers(IMap<String, String> map, Write write, Map<String, String> seeds) {
            acknowledged.putAll(seeds);
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                running.add(pool.submit(() -> {
                    for (int i = 0; !stopped.get(); i++) {
                        String key = "w" + writer + "-" + (i / 2);
                        String value = "v" + i;
                        inFlight.set(writer, key);
                        boolean certain = i % 2 == 0 || acknowledged.containsKey(key);
                        String previous = acknowledged.get(key);
                        try {
                            Object answer = write.apply(map, key, previous, value);
                            written.incrementAndGet();
                            if (answer instanceof NotApplied notApplied) {
                                acknowledged.remove(key);
                                if (certain) {
                                    wrongAnswers.add(key + ": write of " + value + " " + notApplied.answer() + ", previous " + previous);
                                }
                                continue;
                            }
                            acknowledged.put(key, value);
                            if (answer != NO_ANSWER && certain && !Objects.equals(answer, previous)) {
                                wrongAnswers.add(key + ": write of " + value + " answered " + answer + ", previous " + previous);
                            }
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
