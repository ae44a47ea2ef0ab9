package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.util.Clock;
import com.hazelcast.map.impl.tx.TxnDeleteBackupOperation;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.UUID;

/**
 * The backup of a {@link BackedUpTxnDeleteOperation}: as Hazelcast's where the backup holds the
 * entry; where it does not, it still queues the delete (which takes the capacity the transaction
 * reserved, as Hazelcast's queued delete would) and releases the key's lock.
 */
public final class QueuedTxnDeleteBackupOperation extends TxnDeleteBackupOperation {

    private UUID transaction;

    /** For deserialization. */
    public QueuedTxnDeleteBackupOperation() {
    }

    QueuedTxnDeleteBackupOperation(String name, Data key, UUID transaction) {
        super(name, key, transaction);
        this.transaction = transaction;
    }

    @Override
    protected void runInternal() {
        if (recordStore.existInMemory(dataKey)) {
            super.runInternal();
            return;
        }
        recordStore.getMapDataStore().removeBackup(dataKey, Clock.currentTimeMillis(), transaction);
        recordStore.forceUnlock(dataKey);
    }

    @Override
    protected void writeInternal(ObjectDataOutput out) throws IOException {
        super.writeInternal(out);
        out.writeObject(transaction);
    }

    @Override
    protected void readInternal(ObjectDataInput in) throws IOException {
        super.readInternal(in);
        transaction = in.readObject();
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.TXN_DELETE_BACKUP;
    }
}
