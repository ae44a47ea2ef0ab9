package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.nio.IOUtil;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.util.Clock;
import com.hazelcast.map.impl.operation.MapOperation;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.impl.operationservice.BackupOperation;
import com.hazelcast.wan.impl.CallerProvenance;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The backup of a {@link PartitionWideChangesOperation}: applies each write the owner queued, a new
 * value or a delete, and queues it here too, whether or not this backup held the entry. A promoted
 * backup then stores what the owner had acknowledged.
 */
public final class QueuedChangesBackupOperation extends MapOperation implements BackupOperation {

    private List<Data> keys;
    /** Parallel to {@link #keys}; null for a delete. */
    private List<Data> values;

    /** For deserialization. */
    public QueuedChangesBackupOperation() {
    }

    QueuedChangesBackupOperation(String name, List<Data> keys, List<Data> values) {
        super(name);
        this.keys = keys;
        this.values = values;
    }

    @Override
    protected void runInternal() {
        for (int i = 0; i < keys.size(); i++) {
            Data key = keys.get(i);
            Data value = values.get(i);
            if (value != null) {
                // As Hazelcast's own entry-processor backup does: no TTL or expiry change.
                recordStore.putBackupForEntryProcessor(key, value, false, -1L, -1L, -1L, CallerProvenance.NOT_WAN);
            } else if (recordStore.getRecord(key) != null) {
                recordStore.removeBackup(key, CallerProvenance.NOT_WAN);
            } else {
                recordStore.getMapDataStore().removeBackup(key, Clock.currentTimeMillis(), null);
            }
        }
    }

    @Override
    protected void writeInternal(ObjectDataOutput out) throws IOException {
        super.writeInternal(out);
        out.writeInt(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            IOUtil.writeData(out, keys.get(i));
            IOUtil.writeData(out, values.get(i));
        }
    }

    @Override
    protected void readInternal(ObjectDataInput in) throws IOException {
        super.readInternal(in);
        int size = in.readInt();
        keys = new ArrayList<>(size);
        values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            keys.add(IOUtil.readData(in));
            values.add(IOUtil.readData(in));
        }
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.CHANGES_BACKUP;
    }
}
