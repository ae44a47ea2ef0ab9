package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.operation.PutIfAbsentOperation;
import com.hazelcast.map.impl.record.Record;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.impl.operationservice.Operation;
import java.io.IOException;

/**
 * {@code IMap.putIfAbsent} (with or without a TTL or max idle) on a write-behind map, which waits
 * for a backup also when it finds the key present, and then backs up the value it found.
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

    /** As Hazelcast's operations hold them: {@link Record#UNSET} for none. */
    private long ttl = Record.UNSET;
    private long maxIdle = Record.UNSET;

    /** For deserialization. */
    public BackedUpPutIfAbsentOperation() {
    }

    BackedUpPutIfAbsentOperation(String name, Data key, Data value, long ttl, long maxIdle) {
        super(name, key, value);
        this.ttl = ttl;
        this.maxIdle = maxIdle;
    }

    @Override
    protected long getTtl() {
        return ttl;
    }

    @Override
    protected long getMaxIdle() {
        return maxIdle;
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
    protected void writeInternal(ObjectDataOutput out) throws IOException {
        super.writeInternal(out);
        out.writeLong(ttl);
        out.writeLong(maxIdle);
    }

    @Override
    protected void readInternal(ObjectDataInput in) throws IOException {
        super.readInternal(in);
        ttl = in.readLong();
        maxIdle = in.readLong();
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
