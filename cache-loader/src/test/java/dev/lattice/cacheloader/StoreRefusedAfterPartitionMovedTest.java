package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.jdbc.Fence;
import dev.lattice.cacheloader.schema.TableSchema;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Write-through calls whose store is refused by Lattice's ownership fence because their partition
 * moved to a joining member, which claimed it, while the call waited on the database. Nothing was
 * written by the refused attempt, so the call is Hazelcast's to run again on the new owner, as it
 * does when the step after a store finds the partition gone; a member join must not fail a caller.
 *
 * <p>Before the fix each such call failed with "this member no longer owns the partition ... not
 * written" (a fresh-clone build's {@link MigrationDuringStoreCallTest} run in the twenty-first session
 * showed it once: the test then took a {@code putIfAbsent} that found the key present for a write).
 * Here the new owner's claim is made while every call waits, so every moved call is refused.
 */
class StoreRefusedAfterPartitionMovedTest {

    private static final int CALLS = 16;
    private static final String SEED = "seed";

    @Test
    void callsWaitingOnTheTableWhosePartitionMovesAndIsClaimed_runAgainOnTheNewOwnerAndAnswerAsWritten() throws Exception {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH)
                .table("ledger").valueType(ValueType.TEXT).build();
        try (TestDatabase db = PostgresFixture.createDatabase();
             HikariDataSource pool = Fixtures.patientPool(db, CALLS)) {
            TableSchema.migrate(pool, settings);
            try (LocalCluster cluster = Fixtures.oneMemberWithRoomToJoin("ledger", settings, pool, 1)) {
                IMap<String, String> map = cluster.newClient().getMap("ledger");
                List<Call> calls = calls();
                // Seeded through the map: in memory and in the table, and the first member claims its partitions.
                calls.stream().filter(Call::seeded).forEach(call -> map.set(call.key(), SEED));
                ExecutorService threads = Executors.newFixedThreadPool(CALLS + 1);
                try (Connection admin = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                     Statement s = admin.createStatement();
                     // Polls from a connection of its own: the locking transaction would see one snapshot of the activity view.
                     Connection observer = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
                    admin.setAutoCommit(false);
                    s.execute("LOCK TABLE ledger IN EXCLUSIVE MODE");
                    // One at a time, each waiting before the next starts: stores that arrive together share one
                    // transaction (CombinedWrites), which holds its fence rows and would hold up the claim below.
                    Map<Call, Future<Object>> answers = new LinkedHashMap<>();
                    for (Call call : calls) {
                        answers.put(call, threads.submit(() -> call.run(map)));
                        int started = answers.size();
                        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(waitingOnLocks(observer))
                                .as("statements waiting on the table lock").isEqualTo(started));
                    }

                    HazelcastInstance second = cluster.startMember();
                    cluster.awaitSafe(Duration.ofSeconds(60));
                    Map<String, Integer> moved = movedKeys(cluster.member(0), calls);
                    assertThat(moved).as("keys of waiting calls whose partition moved: the case under test").isNotEmpty();
                    // A write on the new owner claims every partition it owns, the moved ones among them.
                    String probe = keyOwnedBy(second);
                    Future<Object> claimingWrite = threads.submit(() -> {
                        map.set(probe, "probe");
                        return null;
                    });
                    UUID newOwner = second.getCluster().getLocalMember().getUuid();
                    await().atMost(30, SECONDS).untilAsserted(() -> assertThat(claimedBy(observer, moved.values()))
                            .as("members holding the moved partitions' claims").containsOnly(newOwner));
                    admin.commit();

                    Map<String, String> failed = new TreeMap<>();
                    Map<String, String> wrongAnswers = new TreeMap<>();
                    for (Map.Entry<Call, Future<Object>> e : answers.entrySet()) {
                        Call call = e.getKey();
                        try {
                            Object answer = e.getValue().get(60, SECONDS);
                            if (!Objects.equals(answer, call.expectedAnswer())) {
                                wrongAnswers.put(call.key(), call.op() + " answered " + answer + ", expected " + call.expectedAnswer());
                            }
                        } catch (ExecutionException failure) {
                            failed.put(call.key(), call.op() + (moved.containsKey(call.key()) ? " (partition moved)" : "") + ": "
                                    + failure.getCause());
                        }
                    }
                    claimingWrite.get(60, SECONDS);
                    assertThat(failed).as("calls that failed").isEmpty();
                    assertThat(wrongAnswers).as("calls whose answer was not the key's previous value").isEmpty();
                } finally {
                    threads.shutdownNow();
                }
                // Every key's value after its call; removed keys have none, in the grid or the table.
                Set<String> keys = new HashSet<>();
                Map<String, String> expected = new TreeMap<>();
                calls.forEach(call -> {
                    keys.add(call.key());
                    if (call.after() != null) {
                        expected.put(call.key(), call.after());
                    }
                });
                assertThat(new TreeMap<>(map.getAll(keys))).as("the grid after the calls").isEqualTo(expected);
                Map<String, String> rows = new TreeMap<>(Fixtures.rows(pool, "ledger"));
                rows.keySet().retainAll(keys);
                assertThat(rows).as("the table after the calls").isEqualTo(expected);
            }
        }
    }

    /**
     * One call per key, each kind of single-key write-through call twice, most on keys with a row. Not
     * {@code putAll}: its batch transaction locks its partitions' fence rows while it waits, so the new
     * owner's claim waits for it, and it is never refused this way.
     */
    private static List<Call> calls() {
        String[] ops = {"set", "put", "replace", "putIfAbsent", "remove", "put new", "delete", "replace any"};
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(new Call("k" + i, ops[i % ops.length]));
        }
        return calls;
    }

    private record Call(String key, String op) {

        boolean seeded() {
            return !op.equals("putIfAbsent") && !op.equals("put new");
        }

        Object run(IMap<String, String> map) {
            String value = "v-" + key;
            return switch (op) {
                case "set" -> {
                    map.set(key, value);
                    yield null;
                }
                case "put", "put new" -> map.put(key, value);
                case "replace" -> map.replace(key, SEED, value);
                case "putIfAbsent" -> map.putIfAbsent(key, value);
                case "remove" -> map.remove(key);
                case "delete" -> {
                    map.delete(key);
                    yield null;
                }
                case "replace any" -> map.replace(key, value);
                default -> throw new IllegalArgumentException(op);
            };
        }

        Object expectedAnswer() {
            return switch (op) {
                case "put", "remove", "replace any" -> SEED;
                case "replace" -> true;
                default -> null;
            };
        }

        /** The key's value once the call is done; null for none. */
        String after() {
            return op.equals("remove") || op.equals("delete") ? null : "v-" + key;
        }
    }

    /** The calls' keys, with their partition, whose partition the first member no longer owns. */
    private static Map<String, Integer> movedKeys(HazelcastInstance first, List<Call> calls) {
        Map<String, Integer> moved = new TreeMap<>();
        UUID self = first.getCluster().getLocalMember().getUuid();
        for (Call call : calls) {
            Partition partition = first.getPartitionService().getPartition(call.key());
            if (!partition.getOwner().getUuid().equals(self)) {
                moved.put(call.key(), partition.getPartitionId());
            }
        }
        return moved;
    }

    private static String keyOwnedBy(HazelcastInstance member) {
        UUID self = member.getCluster().getLocalMember().getUuid();
        for (int i = 0; ; i++) {
            String key = "probe-" + i;
            if (member.getPartitionService().getPartition(key).getOwner().getUuid().equals(self)) {
                return key;
            }
        }
    }

    /** Backends of this database waiting for a lock: the calls' statements, queued behind the table lock. */
    private static int waitingOnLocks(Connection c) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The members holding the fence's claims on {@code partitions}. */
    private static Set<UUID> claimedBy(Connection c, Collection<Integer> partitions) throws Exception {
        Set<UUID> owners = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT owner_member FROM " + Fence.TABLE
                + " WHERE map_name = 'ledger' AND partition_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("int4", partitions.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owners.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return owners;
    }
}
