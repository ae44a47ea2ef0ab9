package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.util.Clock;
import com.hazelcast.map.impl.operation.RemoveBackupOperation;

/**
 * The backup of a delete on a write-behind map: removes the entry as Hazelcast's backup does, and
 * where the backup holds no entry (the row was never loaded, or this backup missed writes) still
 * queues the delete, so that a promoted backup stores it. Hazelcast's backup returns early there,
 * leaving the delete in the owner's queue alone. A delete queued for a key the owner has nothing
 * pending for is dropped by the backup sweep once the owner says so, or stored harmlessly.
 */
public final class QueuedDeleteBackupOperation extends RemoveBackupOperation {

    /** For deserialization. */
    public QueuedDeleteBackupOperation() {
    }

    QueuedDeleteBackupOperation(String name, Data key, boolean disableWanReplicationEvent) {
        super(name, key, disableWanReplicationEvent);
    }

    @Override
    protected void runInternal() {
        if (recordStore.getRecord(dataKey) != null) {
            super.runInternal();
        } else {
            recordStore.getMapDataStore().removeBackup(dataKey, Clock.currentTimeMillis(), null);
        }
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.DELETE_BACKUP;
    }
}
