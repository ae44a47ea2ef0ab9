package dev.lattice.cacheloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.lattice.cacheloader.config.KeyType;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write-behind map's store called by someone other than Lattice's drainer while the member runs:
 * Hazelcast's own worker, which still runs one pass after it is stopped. In a rolling-restart fault
 * run its batch deadlocked against the drainer, and its retry of that batch a second later wrote
 * values older than the ones the drainer had stored meanwhile (11 stale keys). The calls below are
 * that retry's: a snapshot of the queue taken before newer writes. The write delay is long, so the
 * drainer itself stores nothing while the test looks.
 */
class HazelcastWorkerCallTest extends DatabaseBackedTest {

    private LocalCluster cluster;
    private HazelcastInstance member;
    private IMap<String, String> ledger;

    @BeforeEach
    void startMember() {
        cluster = Fixtures.cluster(1, "ledger", settings(), pool, new SimpleMeterRegistry(), c -> { });
        member = cluster.member(0);
        ledger = member.getMap("ledger");
    }

    @AfterEach
    void stopMember() {
        cluster.close();
    }

    private static MapStoreSettings settings() {
        return MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofMinutes(10))
                .table("ledger").keyType(KeyType.STRING).valueType(ValueType.TEXT).build();
    }

    @Test
    void aStaleSnapshot_isNotWritten_andCountsAsDone() {
        ledger.set("k", "s1");
        ledger.set("k", "s2");

        Map<Object, Object> snapshot = new HashMap<>(Map.of("k", "s1"));
        store(member).storeAll(snapshot);

        assertThat(snapshot).as("nothing left for Hazelcast to retry").isEmpty();
        assertThat(Fixtures.rows(pool, "ledger")).as("the older value never reaches the table").doesNotContainKey("k");
        assertThat(ledger.get("k")).isEqualTo("s2");
    }

    @Test
    void theLatestQueuedWrite_isWritten() {
        ledger.set("a", "s1");
        ledger.set("b", "s1");
        ledger.set("b", "s2");

        Map<Object, Object> snapshot = new HashMap<>(Map.of("a", "s1", "b", "s1"));
        store(member).storeAll(snapshot);

        assertThat(Fixtures.rows(pool, "ledger")).containsEntry("a", "s1").doesNotContainKey("b");
        assertThat(snapshot).isEmpty();
    }

    @Test
    void aStaleDelete_isNotWritten() {
        ledger.set("k", "s1");
        store(member).storeAll(new HashMap<>(Map.of("k", "s1")));
        ledger.delete("k");
        ledger.set("k", "s3");

        List<Object> staleDelete = new ArrayList<>(List.of("k"));
        store(member).deleteAll(staleDelete);

        assertThat(staleDelete).isEmpty();
        assertThat(Fixtures.rows(pool, "ledger")).as("the row the delete was older than").containsEntry("k", "s1");
    }

    /**
     * In network-partition fault runs the worker handed over writes that had left the queue without
     * being written while partitions moved to the member that had merged back, and the map still
     * held their values; counting them as done lost them (6 and 14 stale keys).
     */
    @Test
    void aWriteNoLongerQueued_isWritten_whileTheMapStillHoldsItsValue() {
        ledger.set("k", "s1");
        ledger.set("other", "s1");
        dropQueuedWrites(member, "k");

        Map<Object, Object> handedOver = new HashMap<>(Map.of("k", "s1"));
        store(member).storeAll(handedOver);

        assertThat(Fixtures.rows(pool, "ledger")).containsEntry("k", "s1");
        assertThat(handedOver).isEmpty();
    }

    @Test
    void aWriteNoLongerQueued_isNotWritten_whenTheMapHoldsAnotherValue() {
        ledger.set("k", "s1");
        ledger.set("k", "s2");
        dropQueuedWrites(member, "k");

        store(member).storeAll(new HashMap<>(Map.of("k", "s1")));

        assertThat(Fixtures.rows(pool, "ledger")).as("s1 is older than what the map holds").doesNotContainKey("k");
    }

    /** Empties the write-behind queue of the key's partition, as the lost writes' queues were found. */
    private static void dropQueuedWrites(HazelcastInstance member, String key) {
        var engine = ((com.hazelcast.instance.impl.HazelcastInstanceProxy) member).getOriginal().node.getNodeEngine();
        com.hazelcast.map.impl.MapService service = engine.getService(com.hazelcast.map.impl.MapService.SERVICE_NAME);
        int partition = engine.getPartitionService().getPartitionId(key);
        var records = service.getMapServiceContext().getPartitionContainer(partition).getExistingRecordStore("ledger");
        ((com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore) records.getMapDataStore()).getWriteBehindQueue().clear();
    }

    private static JdbcMapStore store(HazelcastInstance member) {
        return (JdbcMapStore) member.getConfig().getMapConfig("ledger").getMapStoreConfig().getImplementation();
    }
}
