package dev.lattice.cacheloader.writebehind;

import com.hazelcast.map.impl.MapEntries;
import com.hazelcast.map.impl.operation.PutAllPartitionAwareOperationFactory;
import com.hazelcast.spi.impl.operationservice.Operation;

/** A member's own {@code putAll} (an embedded member's proxy), as {@link BatchStoredPutAllOperation}s per partition. */
public final class BatchStoredPutAllOperationFactory extends PutAllPartitionAwareOperationFactory {

    /** For deserialization. */
    public BatchStoredPutAllOperationFactory() {
    }

    BatchStoredPutAllOperationFactory(String name, int[] partitions, MapEntries[] mapEntries, boolean triggerMapLoader) {
        super(name, partitions, mapEntries, triggerMapLoader);
    }

    @Override
    public Operation createPartitionOperation(int partitionId) {
        for (int i = 0; i < partitions.length; i++) {
            if (partitions[i] == partitionId) {
                return new BatchStoredPutAllOperation(name, mapEntries[i], triggerMapLoader);
            }
        }
        throw new IllegalArgumentException("map '" + name + "': putAll has no entries for partition " + partitionId);
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.PUT_ALL_FACTORY;
    }
}
