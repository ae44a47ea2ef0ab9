package dev.lattice.server.persistence;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.operation.IsKeyLoadFinishedOperation;
import com.hazelcast.map.impl.operation.IsPartitionLoadedOperationFactory;
import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.operationservice.OperationService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Waits for a map's eager load as creating the map does, with shorter pauses between looks.
 * Hazelcast's own wait asks whether the keys are all sent with a pause doubling from 10 ms to 1 s,
 * then whether every partition holds its values with a 1 s pause: a load that took 1.1 s was seen
 * done after 2 s or more, at every node start. Asked first here, creating the map then finds the
 * load done at its first look. The same operations Hazelcast's wait sends; the first one starts the
 * load, as it does for Hazelcast.
 */
final class EagerLoadWait {

    /**
     * The pause between looks doubles from the first to the last: a load is seen done at most 100 ms
     * after it is, and a long one (or one held back below the minimum cluster size) is asked about
     * ten times a second, one cheap operation per partition still loading.
     */
    private static final long FIRST_PAUSE_MILLIS = 10;
    private static final long LAST_PAUSE_MILLIS = 100;

    private EagerLoadWait() {
    }

    /**
     * Returns once every partition of {@code map} has its values; throws what a look throws (a
     * failed load), for the caller to handle as the map's creation would have.
     */
    static void await(HazelcastInstance member, String map) throws Exception {
        NodeEngine engine = ((HazelcastInstanceProxy) member).getOriginal().node.getNodeEngine();
        OperationService operations = engine.getOperationService();
        int keysPartition = engine.getPartitionService().getPartitionId(map);
        long pause = FIRST_PAUSE_MILLIS;
        while (!Boolean.TRUE.equals(operations.invokeOnPartition(MapService.SERVICE_NAME,
                new IsKeyLoadFinishedOperation(map), keysPartition).join())) {
            pause = pause(pause);
        }
        List<Integer> pending = new ArrayList<>(engine.getPartitionService().getPartitionCount());
        for (int p = 0; p < engine.getPartitionService().getPartitionCount(); p++) {
            pending.add(p);
        }
        while (true) {
            Map<Integer, Object> loaded = operations.invokeOnPartitions(MapService.SERVICE_NAME,
                    new IsPartitionLoadedOperationFactory(map), pending);
            pending.removeIf(p -> Boolean.TRUE.equals(loaded.get(p)));
            if (pending.isEmpty()) {
                return;
            }
            pause = pause(pause);
        }
    }

    /** Sleeps {@code millis}; the next pause. */
    private static long pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return Math.min(millis * 2, LAST_PAUSE_MILLIS);
    }
}
