package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.operation.RemoveOperation;
import com.hazelcast.spi.impl.operationservice.Operation;

/**
 * {@code IMap.remove(key)} on a write-behind map, backed up whether or not anything was removed, to
 * a backup that queues the delete even where it holds no entry. Hazelcast's remove of a key only
 * in the table reads the row, queues the delete on the owner and sends a backup, but the backup,
 * holding no entry, skipped its queue: the owner's crash lost the delete. And a remove that finds
 * nothing sent no backup at all, so an owner that had applied an earlier attempt answered the
 * repeat alone. See {@link BackedUpDeleteOperation}.
 */
public final class BackedUpRemoveOperation extends RemoveOperation {

    /** For deserialization. */
    public BackedUpRemoveOperation() {
    }

    BackedUpRemoveOperation(String name, Data key) {
        super(name, key);
    }

    @Override
    public boolean shouldBackup() {
        return true;
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
        return LatticeOperations.REMOVE;
    }
}
