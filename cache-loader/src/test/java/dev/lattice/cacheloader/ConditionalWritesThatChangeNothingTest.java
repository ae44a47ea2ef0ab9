package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.impl.clientside.HazelcastClientProxy;
import com.hazelcast.client.properties.ClientProperty;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IndeterminateOperationStateException;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import com.hazelcast.spi.impl.PartitionSpecificRunnable;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * A conditional write that changes nothing must still wait for its backup on a write-behind map.
 *
 * <p>Its answer is what a caller acts on when it repeats a call that failed as indeterminate (the
 * owner applied it, its backup did not confirm): {@code remove(key, value)} finding no entry, or
 * {@code putIfAbsent} finding the caller's own value, says "your first attempt landed". Hazelcast
 * answers both without a backup, so a member cut off from its backups acknowledged such a repeat
 * alone, and the write it confirmed lived on that member only. Here the backup's partition thread
 * is held, which is what a cut-off backup looks like to the owner: the repeat must fail as
 * indeterminate too, not answer.
 *
 * <p>And a conditional write of a row only in the table must leave it alone when its condition
 * fails: Hazelcast's {@code remove(key, value)} deleted it anyway.
 */
class ConditionalWritesThatChangeNothingTest extends DatabaseBackedTest {

    private static final String KEY = "parcel";

    @Test
    void repeatOfAnIndeterminateConditionalRemove_waitsForTheBackupToo() {
        try (LocalCluster cluster = cluster()) {
            IMap<String, String> parcels = parcels(cluster);
            String key = keyOwnedBy(cluster.member(0));
            parcels.set(key, "v1");

            attemptAndRepeatWithTheBackupHeld(cluster, key, () -> parcels.remove(key, "v1"));

            await().atMost(20, SECONDS).until(() -> Fixtures.rows(pool, "parcels").isEmpty());
            assertThat(parcels.get(key)).isNull();
        }
    }

    @Test
    void repeatOfAnIndeterminatePutIfAbsent_waitsForTheBackupToo() {
        try (LocalCluster cluster = cluster()) {
            IMap<String, String> parcels = parcels(cluster);
            String key = keyOwnedBy(cluster.member(0));

            attemptAndRepeatWithTheBackupHeld(cluster, key, () -> parcels.putIfAbsent(key, "v1"));

            await().atMost(20, SECONDS).until(() -> Fixtures.rows(pool, "parcels"), Map.of(key, "v1")::equals);
        }
    }

    @Test
    void repeatOfAnIndeterminatePutIfAbsentWithATtl_waitsForTheBackupToo_andTheTtlHolds() {
        try (LocalCluster cluster = cluster()) {
            IMap<String, String> parcels = parcels(cluster);
            String key = keyOwnedBy(cluster.member(0));

            attemptAndRepeatWithTheBackupHeld(cluster, key, () -> parcels.putIfAbsent(key, "v1", 60, SECONDS));

            assertThat(parcels.getEntryView(key).getTtl()).as("the entry's TTL").isEqualTo(60_000L);
        }
    }

    /**
     * Hazelcast's remove(key, value) of a key not in memory queues the delete in its load step,
     * before it compares the loaded value with the given one: on a write-behind map a call that
     * answers false would still delete the row.
     */
    @Test
    void removeOfARowNotInMemoryWithAnotherValue_answersFalse_andTheRowStays() {
        rowNotInMemoryStays(parcels -> assertThat(parcels.remove("p1", "another")).isFalse());
    }

    /**
     * Its backup must not get a delete either: a backup promoted by the owner's crash would store it
     * (the answer, false, has nothing to confirm, so no backup is sent).
     */
    @Test
    void removeOfRowsNotInMemoryWithAnotherValue_leavesTheRowsThroughTheOwnersCrash() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(5))
                .table("parcels").valueType(ValueType.TEXT).build();
        try (LocalCluster cluster = Fixtures.cluster(2, "parcels", settings, pool, new SimpleMeterRegistry(), config -> { })) {
            Map<String, String> rows = new TreeMap<>();
            for (int i = 0; i < 100; i++) {
                Fixtures.execute(pool, "INSERT INTO parcels (id, value) VALUES (?, ?)", "p" + i, "row" + i);
                rows.put("p" + i, "row" + i);
            }
            IMap<String, String> parcels = cluster.newClient().getMap("parcels");
            for (int i = 0; i < 100; i++) {
                assertThat(parcels.remove("p" + i, "another")).isFalse();
            }

            cluster.terminate(0);

            cluster.awaitSafe(Duration.ofSeconds(60));
            await("the table past the write delay").during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(20))
                    .until(() -> Fixtures.rows(pool, "parcels"), rows::equals);
        }
    }

    /** The other conditional writes of a row not in memory, which Hazelcast runs as steps too. */
    @Test
    void putIfAbsentAndConditionalReplaceOfARowNotInMemory_changeNothing() {
        rowNotInMemoryStays(parcels -> {
            assertThat(parcels.putIfAbsent("p1", "another")).isEqualTo("row1");
            assertThat(parcels.replace("p1", "another", "third")).isFalse();
        });
    }

    private void rowNotInMemoryStays(Consumer<IMap<String, String>> call) {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(1))
                .table("parcels").valueType(ValueType.TEXT).build();
        try (LocalCluster cluster = Fixtures.cluster(1, "parcels", settings, pool, new SimpleMeterRegistry(), config -> { })) {
            Fixtures.execute(pool, "INSERT INTO parcels (id, value) VALUES (?, ?)", "p1", "row1");
            IMap<String, String> parcels = cluster.newClient().getMap("parcels");

            call.accept(parcels);

            await("the table past the write delay").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> Fixtures.rows(pool, "parcels"), Map.of("p1", "row1")::equals);
            assertThat(parcels.get("p1")).isEqualTo("row1");
        }
    }

    /** The backup a present key's putIfAbsent sends carries the value it found, not the one it was given. */
    @Test
    void putIfAbsentOfAPresentKey_leavesTheBackupWithTheValueItFound() {
        try (LocalCluster cluster = cluster()) {
            IMap<String, String> parcels = parcels(cluster);
            String key = keyOwnedBy(cluster.member(0));
            parcels.set(key, "v1");

            assertThat(parcels.putIfAbsent(key, "v2")).isEqualTo("v1");
            cluster.terminate(0);

            cluster.awaitSafe(Duration.ofSeconds(60));
            assertThat(parcels.get(key)).isEqualTo("v1");
            await().atMost(20, SECONDS).until(() -> Fixtures.rows(pool, "parcels"), Map.of(key, "v1")::equals);
        }
    }

    /**
     * Holds the backup (member 1) of {@code key}'s partition, owned by member 0, and makes the call
     * twice: the first attempt, and the repeat a caller makes after it failed as indeterminate, which
     * finds the first attempt's work. Both must fail as indeterminate, not answer.
     */
    private static void attemptAndRepeatWithTheBackupHeld(LocalCluster cluster, String key, ThrowingCallable call) {
        int partition = cluster.member(0).getPartitionService().getPartition(key).getPartitionId();
        try (HeldPartition held = HeldPartition.hold(cluster.member(1), partition)) {
            assertThatThrownBy(call).as("the first attempt, its backup held").isInstanceOf(IndeterminateOperationStateException.class);
            assertThatThrownBy(call).as("the repeat, which finds the first attempt's work")
                    .isInstanceOf(IndeterminateOperationStateException.class);
        }
    }

    private LocalCluster cluster() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(2))
                .table("parcels").valueType(ValueType.TEXT).build();
        return Fixtures.cluster(2, "parcels", settings, pool, new SimpleMeterRegistry(), config -> { });
    }

    /**
     * As Lattice's client is set up: a write whose backup does not confirm fails, after a short wait
     * here. Connected to both members (a backup confirms to the client over its own connection) and
     * with the map loaded on every partition, so that holding a partition later holds a backup only.
     */
    private static IMap<String, String> parcels(LocalCluster cluster) {
        HazelcastInstance client = cluster.newClient(config -> config
                .setProperty(ClientProperty.FAIL_ON_INDETERMINATE_OPERATION_STATE.getName(), "true")
                .setProperty(ClientProperty.OPERATION_BACKUP_TIMEOUT_MILLIS.getName(), "1000"));
        await().atMost(30, SECONDS).until(() ->
                ((HazelcastClientProxy) client).client.getConnectionManager().getActiveConnections().size() == 2);
        // The client must also know who owns each partition: without its partition table it sends a
        // call to any member, and one that lands on the held member waits out the hold and answers.
        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(ownersTheClientGetsWrong(cluster, client)).isEmpty());
        IMap<String, String> parcels = client.getMap("parcels");
        assertThat(parcels.size()).isZero();
        return parcels;
    }

    /** The partitions whose owner the client does not know, or knows as another member than the members do. */
    private static Map<Integer, String> ownersTheClientGetsWrong(LocalCluster cluster, HazelcastInstance client) {
        Map<Integer, UUID> owners = new TreeMap<>();
        for (Partition partition : cluster.member(0).getPartitionService().getPartitions()) {
            Member owner = partition.getOwner();
            owners.put(partition.getPartitionId(), owner == null ? null : owner.getUuid());
        }
        Map<Integer, String> wrong = new TreeMap<>();
        for (Partition partition : client.getPartitionService().getPartitions()) {
            Member known = partition.getOwner();
            UUID owner = owners.get(partition.getPartitionId());
            if (owner == null || known == null || !owner.equals(known.getUuid())) {
                wrong.put(partition.getPartitionId(), known + " (members: " + owner + ")");
            }
        }
        return wrong;
    }

    private static String keyOwnedBy(HazelcastInstance member) {
        for (int i = 0; ; i++) {
            String key = KEY + i;
            if (member.getPartitionService().getPartition(key).getOwner().equals(member.getCluster().getLocalMember())) {
                return key;
            }
        }
    }

    /** Keeps the partition thread of one partition of a member busy, as a cut-off member would look to its peers. */
    private static final class HeldPartition implements AutoCloseable {

        private final CountDownLatch release = new CountDownLatch(1);

        static HeldPartition hold(HazelcastInstance member, int partitionId) {
            HeldPartition held = new HeldPartition();
            CountDownLatch holding = new CountDownLatch(1);
            ((HazelcastInstanceProxy) member).getOriginal().node.getNodeEngine().getOperationService()
                    .execute(new PartitionSpecificRunnable() {
                        @Override
                        public int getPartitionId() {
                            return partitionId;
                        }

                        @Override
                        public void run() {
                            holding.countDown();
                            try {
                                held.release.await(60, SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    });
            try {
                assertThat(holding.await(10, SECONDS)).as("the partition thread is held").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return held;
        }

        @Override
        public void close() {
            release.countDown();
        }
    }
}
