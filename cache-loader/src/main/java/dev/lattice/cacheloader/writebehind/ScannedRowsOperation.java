package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.nio.IOUtil;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.operation.MapOperation;
import com.hazelcast.map.impl.operation.PutFromLoadAllBackupOperation;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.impl.operationservice.BackupAwareOperation;
import com.hazelcast.spi.impl.operationservice.MutatingOperation;
import com.hazelcast.spi.impl.operationservice.Operation;
import com.hazelcast.spi.impl.operationservice.PartitionAwareOperation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts rows an eager load's one scan read into their partition, as Hazelcast's own load does
 * ({@code putFromLoad}: no store call, no event, backed up), but only while the partition still
 * waits for the end of its initial key load, and never over an entry already in memory.
 *
 * <p>Why that guard is enough: until the member streaming the keys reports its key load finished,
 * the record store of a partition waiting for it refuses reads and writes (a retryable "still
 * loading"), and that report comes only after the scan has ended. A partition still waiting
 * therefore has seen no write since the scan read its rows, so nothing newer can be overwritten and
 * nothing deleted can come back. Hazelcast's own load relies on the same guard. An entry already in
 * memory is kept, checked in the same step as the put. A partition whose key load is finished (the
 * map is being reloaded, or was loaded before) answers false and puts nothing; the loader then hands
 * every key to Hazelcast's own load, which reads the rows again under its own guard.
 */
public final class ScannedRowsOperation extends MapOperation
        implements PartitionAwareOperation, MutatingOperation, BackupAwareOperation {

    /** Key, value, key, value, ... as Hazelcast's load operations carry them. */
    private List<Data> rows = List.of();
    private transient List<Data> put = List.of();
    private transient boolean accepted;

    /** For deserialization. */
    public ScannedRowsOperation() {
    }

    ScannedRowsOperation(String name, List<Data> rows) {
        super(name);
        this.rows = rows;
    }

    @Override
    protected void runInternal() {
        accepted = false;
        put = List.of();
        if (recordStore.isKeyLoadFinished()) {
            return;
        }
        accepted = true;
        List<Data> applied = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i += 2) {
            Data key = rows.get(i);
            if (!recordStore.existInMemory(key)) {
                recordStore.putFromLoad(key, rows.get(i + 1), getCallerAddress());
                applied.add(key);
                applied.add(rows.get(i + 1));
            }
        }
        put = applied;
    }

    @Override
    public void afterRunInternal() {
        if (!put.isEmpty()) {
            List<Data> keys = new ArrayList<>(put.size() / 2);
            for (int i = 0; i < put.size(); i += 2) {
                keys.add(put.get(i));
            }
            // As Hazelcast's own load does, though no reader can have cached these keys while they loaded.
            invalidateNearCache(keys);
            evict(null);
        }
        super.afterRunInternal();
    }

    /** True if the rows were taken (those already in memory kept theirs); false if the partition had finished loading. */
    @Override
    public Object getResponse() {
        return accepted;
    }

    @Override
    public boolean shouldBackup() {
        return !put.isEmpty();
    }

    @Override
    public int getSyncBackupCount() {
        return mapContainer.getBackupCount();
    }

    @Override
    public int getAsyncBackupCount() {
        return mapContainer.getAsyncBackupCount();
    }

    /** Hazelcast's own backup of loaded rows, with only the rows this operation put. */
    @Override
    public Operation getBackupOperation() {
        return new PutFromLoadAllBackupOperation(name, put, false);
    }

    @Override
    protected void writeInternal(ObjectDataOutput out) throws IOException {
        super.writeInternal(out);
        out.writeInt(rows.size());
        for (Data data : rows) {
            IOUtil.writeData(out, data);
        }
    }

    @Override
    protected void readInternal(ObjectDataInput in) throws IOException {
        super.readInternal(in);
        int size = in.readInt();
        List<Data> read = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            read.add(IOUtil.readData(in));
        }
        rows = read;
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.SCANNED_ROWS;
    }
}
