package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.tx.TxnDeleteOperation;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.impl.operationservice.Operation;
import java.io.IOException;
import java.util.UUID;

/**
 * The commit of a transactional delete or remove on a write-behind map, with a backup that queues
 * the delete whether or not it holds the entry. The transaction reads the row on the owner alone;
 * Hazelcast's backup, holding no entry, queued nothing, and the owner's crash before its write
 * delay lost the delete (93 of 300 in {@code RowsLoadedOnTheOwnerOnlyTest}).
 */
public final class BackedUpTxnDeleteOperation extends TxnDeleteOperation {

    /** The transaction's id again: Hazelcast keeps its own copy private, and the backup needs it. */
    private UUID transaction;

    /** For deserialization. */
    public BackedUpTxnDeleteOperation() {
    }

    BackedUpTxnDeleteOperation(String name, Data key, long version) {
        super(name, key, version);
    }

    @Override
    public void setTransactionId(UUID transactionId) {
        super.setTransactionId(transactionId);
        this.transaction = transactionId;
    }

    @Override
    public Operation getBackupOperation() {
        return new QueuedTxnDeleteBackupOperation(name, dataKey, transaction);
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
        return LatticeOperations.TXN_DELETE;
    }
}
