package dev.lattice.cacheloader.writebehind;

import com.hazelcast.map.impl.MapEntries;
import com.hazelcast.map.impl.operation.PutAllOperation;
import com.hazelcast.map.impl.operation.steps.engine.Step;

/**
 * {@code IMap.putAll} (and {@code setAll}) on one partition of a write-through map, whose store takes
 * the partition's entries at once, all or nothing ({@link BatchStoredPutAllSteps}). Everything else,
 * the backups included, is Hazelcast's {@link PutAllOperation}.
 */
public final class BatchStoredPutAllOperation extends PutAllOperation {

    /** For deserialization. */
    public BatchStoredPutAllOperation() {
    }

    BatchStoredPutAllOperation(String name, MapEntries mapEntries, boolean triggerMapLoader) {
        super(name, mapEntries, triggerMapLoader);
    }

    @Override
    public Step getStartingStep() {
        return BatchStoredPutAllSteps.READ;
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.PUT_ALL;
    }
}
