package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.nio.IOUtil;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore;
import com.hazelcast.map.impl.recordstore.RecordStore;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.impl.operationservice.Operation;
import com.hazelcast.spi.impl.operationservice.PartitionAwareOperation;
import com.hazelcast.spi.impl.operationservice.ReadonlyOperation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks a partition's owner which of some keys still have a write it has not stored. Runs on the
 * owner's partition thread, so no write of the partition is half-applied while it looks. The
 * answer is null when the member it ran on does not own the partition (its table is newer or
 * older than the asker's) or holds nothing of the map there: the asker then keeps every copy.
 *
 * <p>Sent by {@link BackupSweeper}; members deserialize it by class name, so every member must run
 * the same Lattice version.
 */
public final class PendingWritesOperation extends Operation implements PartitionAwareOperation, ReadonlyOperation {

    private String mapName;
    private List<Data> keys;
    private boolean[] pending;

    /** For deserialization. */
    public PendingWritesOperation() {
    }

    PendingWritesOperation(String mapName, List<Data> keys) {
        this.mapName = mapName;
        this.keys = keys;
    }

    @Override
    public void run() {
        if (!getNodeEngine().getPartitionService().getPartition(getPartitionId()).isLocal()) {
            pending = null;
            return;
        }
        MapService service = getNodeEngine().getService(MapService.SERVICE_NAME);
        RecordStore<?> recordStore = service.getMapServiceContext().getPartitionContainer(getPartitionId())
                .getExistingRecordStore(mapName);
        if (recordStore == null || !(recordStore.getMapDataStore() instanceof WriteBehindStore store)) {
            // An owner without this map's partition can not vouch for anything: it may have just
            // handed the partition over (its cleanup can run before its partition table says so).
            // "Unknown" makes the backup keep its copies, which is never unsafe.
            pending = null;
            return;
        }
        pending = new boolean[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            pending[i] = HazelcastMember.pending(store, keys.get(i));
        }
    }

    @Override
    public Object getResponse() {
        return pending;
    }

    @Override
    public String getServiceName() {
        return MapService.SERVICE_NAME;
    }

    @Override
    protected void writeInternal(ObjectDataOutput out) throws IOException {
        out.writeString(mapName);
        out.writeInt(keys.size());
        for (Data key : keys) {
            IOUtil.writeData(out, key);
        }
    }

    @Override
    protected void readInternal(ObjectDataInput in) throws IOException {
        mapName = in.readString();
        int size = in.readInt();
        keys = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            keys.add(IOUtil.readData(in));
        }
    }
}
