package dev.lattice.cacheloader.writebehind;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * Creates Lattice's map operations when a member receives one. Registered under {@link #FACTORY_ID}
 * by {@code LatticeMapStores.configureMember}, so every member of a cluster needs it, like the
 * operations themselves (same Lattice version on every member).
 */
public final class LatticeOperations implements DataSerializableFactory {

    /** "LATT" in ASCII; Hazelcast's own factories use negative ids. */
    public static final int FACTORY_ID = 0x4C415454;
    static final int DELETE = 1;
    static final int REMOVE = 2;
    static final int DELETE_BACKUP = 3;
    static final int REMOVE_IF_SAME = 4;
    static final int CLEAR = 5;
    static final int CLEAR_FACTORY = 6;
    static final int PARTITION_WIDE = 7;
    static final int PARTITION_WIDE_FACTORY = 8;
    static final int CHANGES_BACKUP = 9;
    static final int TXN_DELETE = 10;
    static final int TXN_DELETE_BACKUP = 11;
    static final int PUT_IF_ABSENT = 12;
    static final int PUT_ALL = 13;
    static final int PUT_ALL_FACTORY = 14;
    static final int SCANNED_ROWS = 15;
    static final int REPEAT_SAFE_PUT = 16;
    static final int REPEAT_SAFE_PUT_IF_ABSENT = 17;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case DELETE -> new BackedUpDeleteOperation();
            case REMOVE -> new BackedUpRemoveOperation();
            case DELETE_BACKUP -> new QueuedDeleteBackupOperation();
            case REMOVE_IF_SAME -> new BackedUpRemoveIfSameOperation();
            case CLEAR -> new StoredClearOperation();
            case CLEAR_FACTORY -> new StoredClearOperationFactory();
            case PARTITION_WIDE -> new PartitionWideChangesOperation();
            case PARTITION_WIDE_FACTORY -> new PartitionWideChangesOperationFactory();
            case CHANGES_BACKUP -> new QueuedChangesBackupOperation();
            case TXN_DELETE -> new BackedUpTxnDeleteOperation();
            case TXN_DELETE_BACKUP -> new QueuedTxnDeleteBackupOperation();
            case PUT_IF_ABSENT -> new BackedUpPutIfAbsentOperation();
            case PUT_ALL -> new BatchStoredPutAllOperation();
            case PUT_ALL_FACTORY -> new BatchStoredPutAllOperationFactory();
            case SCANNED_ROWS -> new ScannedRowsOperation();
            case REPEAT_SAFE_PUT -> new RepeatSafePutOperation();
            case REPEAT_SAFE_PUT_IF_ABSENT -> new RepeatSafePutIfAbsentOperation();
            default -> null;
        };
    }
}
