package dev.lattice.cacheloader.writebehind;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.MapService;
import dev.lattice.testsupport.LocalCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The question a backup asks a partition's owner before it drops its copies of queued writes. Only
 * a definite "stored" may let a copy go: an owner that holds nothing of the map in that partition
 * (it may just have handed the partition over, its cleanup running before its partition table
 * says so) answers "unknown", and the backup keeps every copy.
 */
class PendingWritesOperationTest {

    @Test
    void anOwnerHoldingNothingOfTheMap_answersUnknown_notNothingPending() {
        try (LocalCluster cluster = LocalCluster.builder().members(1).start()) {
            HazelcastInstance member = cluster.member(0);
            HazelcastMember view = HazelcastMember.of(member, "never-written");
            Data key = view.nodeEngine().getSerializationService().toData("k");
            int partition = view.partitionOf(key);

            boolean[] answer = view.nodeEngine().getOperationService().<boolean[]>invokeOnPartition(MapService.SERVICE_NAME,
                    new PendingWritesOperation("never-written", List.of(key)), partition).join();

            assertThat(answer).as("null keeps the backup's copies; all-false would drop them").isNull();
        }
    }
}
