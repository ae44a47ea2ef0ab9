package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.operation.RemoveIfSameOperation;
import com.hazelcast.spi.impl.operationservice.Operation;

/**
 * {@code IMap.remove(key, value)} on a write-behind map, with a backup that queues the delete even
 * where it holds no entry. Of a key only in the table, Hazelcast reads the row on the owner alone,
 * removes it there and sends its backup to a member that holds no entry and so skipped its queue:
 * the owner's crash before its write delay lost the delete (92 of 300 in
 * {@code OtherDeletesOfUnloadedKeysTest}). As in Hazelcast, a remove that removed nothing (it
 * answers false) sends no backup: nothing was acknowledged.
 */
public final class BackedUpRemoveIfSameOperation extends RemoveIfSameOperation {

    /** For deserialization. */
    public BackedUpRemoveIfSameOperation() {
    }

    BackedUpRemoveIfSameOperation(String name, Data key, Data value) {
        super(name, key, value);
    }

    @Override
    public Operation getBackupOperation() {
        return new QueuedDeleteBackupOperation(name, dataKey, disableWanReplicationEvent());
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.REMOVE_IF_SAME;
    }
}
