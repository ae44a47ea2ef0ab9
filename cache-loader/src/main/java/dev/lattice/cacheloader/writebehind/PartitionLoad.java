package dev.lattice.cacheloader.writebehind;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.partition.PartitioningStrategy;
import com.hazelcast.spi.impl.NodeEngine;
import dev.lattice.cacheloader.jdbc.LoadTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the rows of an eager load's scan to their partitions in {@link ScannedRowsOperation}s of
 * up to {@value #BATCH_ROWS} rows or 1 MiB, at most {@value #IN_FLIGHT} at a time, holding at most
 * 32 MiB of rows not yet sent, on the member that streams the map's keys. Rows of the partition the map's name falls in go through Hazelcast's own
 * load instead: that partition is the one Hazelcast also reloads from, so it can not tell a first
 * load from a reload there (see {@link ScannedRowsOperation} for why the others can).
 */
public final class PartitionLoad implements LoadTarget {

    /** Rows per operation, as Hazelcast's own load puts them ({@code hazelcast.map.load.chunk.size}). */
    static final int BATCH_ROWS = 1_000;
    /** Bytes per operation at most, so large values do not make large operations. */
    static final int BATCH_BYTES = 1 << 20;
    /** Operations on their way at once: enough to keep the partition threads busy, bounded memory. */
    static final int IN_FLIGHT = 64;
    /** Rows held for all partitions at most, in serialized bytes, before every partition's rows are sent. */
    static final long BUFFERED_BYTES = 32L << 20;

    private final NodeEngine nodeEngine;
    private final MapServiceContext context;
    private final PartitioningStrategy<?> partitioning;
    private final String mapName;
    private final int namePartition;
    private final List<Data>[] batches;
    private final int[] batchBytes;
    private long bufferedBytes;
    private final List<Object> keysForHazelcast = new ArrayList<>();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean refused;

    @SuppressWarnings("unchecked")
    private PartitionLoad(NodeEngine nodeEngine, String mapName) {
        this.nodeEngine = nodeEngine;
        this.context = ((MapService) nodeEngine.getService(MapService.SERVICE_NAME)).getMapServiceContext();
        this.partitioning = context.getMapContainer(mapName).getPartitioningStrategy();
        this.mapName = mapName;
        this.namePartition = nodeEngine.getPartitionService().getPartitionId(nodeEngine.getSerializationService().toData(mapName));
        this.batches = new List[nodeEngine.getPartitionService().getPartitionCount()];
        this.batchBytes = new int[batches.length];
    }

    /**
     * A load into the partitions of {@code mapName} from member {@code instance}, or null if this
     * member was not configured with {@code LatticeMapStores.configureMember} (the operations need it
     * on every member): the load then streams keys as Hazelcast's protocol does.
     */
    public static LoadTarget of(HazelcastInstance instance, String mapName) {
        NodeEngine nodeEngine = HazelcastMember.nodeEngineOf(instance);
        boolean configured = nodeEngine.getConfig().getSerializationConfig().getDataSerializableFactories()
                .get(LatticeOperations.FACTORY_ID) instanceof LatticeOperations;
        return configured ? new PartitionLoad(nodeEngine, mapName) : null;
    }

    @Override
    public boolean add(Object key, Object value) {
        if (refused || failure.get() != null) {
            return false;
        }
        Data dataKey = context.toData(key, partitioning);
        int partition = nodeEngine.getPartitionService().getPartitionId(dataKey);
        if (partition == namePartition) {
            keysForHazelcast.add(key);
            return true;
        }
        List<Data> batch = batches[partition];
        if (batch == null) {
            batch = new ArrayList<>(2 * BATCH_ROWS);
            batches[partition] = batch;
        }
        Data dataValue = context.toData(value);
        batch.add(dataKey);
        batch.add(dataValue);
        int bytes = dataKey.totalSize() + dataValue.totalSize();
        batchBytes[partition] += bytes;
        bufferedBytes += bytes;
        if (batch.size() == 2 * BATCH_ROWS || batchBytes[partition] >= BATCH_BYTES) {
            send(partition);
        } else if (bufferedBytes >= BUFFERED_BYTES) {
            sendAll();
        }
        return true;
    }

    private void sendAll() {
        for (int partition = 0; partition < batches.length; partition++) {
            if (batches[partition] != null) {
                send(partition);
            }
        }
    }

    private void send(int partition) {
        List<Data> rows = batches[partition];
        batches[partition] = null;
        bufferedBytes -= batchBytes[partition];
        batchBytes[partition] = 0;
        inFlight.acquireUninterruptibly();
        nodeEngine.getOperationService().<Boolean>invokeOnPartition(MapService.SERVICE_NAME,
                new ScannedRowsOperation(mapName, rows), partition).whenComplete((taken, thrown) -> {
                    if (thrown != null) {
                        failure.compareAndSet(null, thrown);
                    } else if (!taken) {
                        refused = true;
                    }
                    inFlight.release();
                });
    }

    @Override
    public List<Object> finish() {
        if (!refused && failure.get() == null) {
            sendAll();
        }
        // Every permit back means every operation sent has answered.
        inFlight.acquireUninterruptibly(IN_FLIGHT);
        inFlight.release(IN_FLIGHT);
        Throwable thrown = failure.get();
        if (thrown != null) {
            throw new IllegalStateException("map '" + mapName + "': putting scanned rows into their partitions failed: "
                    + thrown, thrown);
        }
        return refused ? null : keysForHazelcast;
    }
}
