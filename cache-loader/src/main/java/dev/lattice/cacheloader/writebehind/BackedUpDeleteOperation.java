package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.operation.DeleteOperation;
import com.hazelcast.spi.impl.operationservice.Operation;

/**
 * {@code IMap.delete} on a write-behind map, backed up whether or not the owner held the entry.
 *
 * <p>Hazelcast's delete of a key the owner does not hold in memory (a lazily loaded map, or an
 * owner that already applied an earlier attempt of this delete) queues the delete on the owner only
 * and answers at once, with no backup: the owner's crash then lost an acknowledged delete, and an
 * owner cut off from the others acknowledged it alone. Here the delete always waits for its backup,
 * which queues the delete even where it holds no entry ({@link QueuedDeleteBackupOperation}). The
 * answer stays Hazelcast's.
 */
public final class BackedUpDeleteOperation extends DeleteOperation {

    /** For deserialization. */
    public BackedUpDeleteOperation() {
    }

    BackedUpDeleteOperation(String name, Data key, boolean disableWanReplicationEvent) {
        super(name, key, disableWanReplicationEvent);
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
        return LatticeOperations.DELETE;
    }
}
