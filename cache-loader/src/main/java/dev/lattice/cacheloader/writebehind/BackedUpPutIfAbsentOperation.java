package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.operation.PutIfAbsentOperation;
import com.hazelcast.spi.impl.operationservice.Operation;

/**
 * {@code IMap.putIfAbsent} (without expiry) on a write-behind map, which waits for a backup also
 * when it finds the key present, and then backs up the value it found.
 *
 * <p>A present key is what the repeat of an attempt that failed as indeterminate finds: the owner
 * applied the first attempt, its backup never confirmed it, and the answer, the caller's own value,
 * tells the caller that attempt landed. Hazelcast answers it without a backup, so a member cut off
 * from its backups confirmed a write that only it held ({@code ConditionalWritesThatChangeNothingTest}).
 * Backing up the value found (not the one the call brought) makes the answer wait for a backup that
 * holds it, and queues it there like any write; where the backup already held it, the sweep drops
 * that copy once the owner has nothing pending for the key.
 */
public final class BackedUpPutIfAbsentOperation extends PutIfAbsentOperation {

    /** For deserialization. */
    public BackedUpPutIfAbsentOperation() {
    }

    BackedUpPutIfAbsentOperation(String name, Data key, Data value) {
        super(name, key, value);
    }

    @Override
    public boolean shouldBackup() {
        recordToBackup = recordStore.getRecord(dataKey);
        return recordToBackup != null;
    }

    @Override
    public Operation getBackupOperation() {
        if (successful) {
            return super.getBackupOperation();
        }
        return newBackupOperation(dataKey, recordToBackup, mapServiceContext.toData(recordToBackup.getValue()));
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.PUT_IF_ABSENT;
    }
}
