package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.MapStoreWrapper;
import com.hazelcast.map.impl.mapstore.MapDataStore;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore;
import com.hazelcast.map.impl.mapstore.writebehind.entry.DelayedEntry;
import com.hazelcast.map.impl.operation.ClearOperation;
import com.hazelcast.map.impl.operation.steps.engine.Step;
import com.hazelcast.spi.impl.NodeEngine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code IMap.clear()} of one partition of a write-behind map, with the deletes in the table before
 * it answers. Hazelcast's clear hands the keys it holds in memory to the store's {@code deleteAll}
 * and then drops the partition's write-behind queue. On a Lattice map that deleted nothing: the
 * store ignores writes from outside its drainer that are not queued (they would be older than what
 * it stored), so every row stayed and came back on the next read. And a key deleted but not yet
 * stored is neither in memory nor, after the clear, queued: its row stayed too.
 *
 * <p>Here the store deletes every key the partition holds in memory or has queued, between two
 * rounds of its drainer, and Hazelcast's clear runs right after, in the same pause, so the drainer
 * cannot store a queued value after the delete. The owner deletes before it answers, so the clear
 * needs no queued copy on the backups, which clear as Hazelcast's do.
 */
public final class StoredClearOperation extends ClearOperation {

    /** For deserialization. */
    public StoredClearOperation() {
    }

    StoredClearOperation(String name) {
        super(name);
    }

    /** Hazelcast's stepped clear would run the store's delete without {@link #runInternal}: not stepped. */
    @Override
    public Step getStartingStep() {
        return null;
    }

    @Override
    protected void runInternal() {
        MapDataStore<Data, Object> data = recordStore == null ? null : recordStore.getMapDataStore();
        MapStoreWrapper wrapper = mapContainer.getMapStoreContext().getMapStoreWrapper();
        Object store = wrapper == null ? null : wrapper.getImpl();
        if (!(data instanceof WriteBehindStore queue) || !(store instanceof PartitionClearing clearing)) {
            super.runInternal();
            return;
        }
        Set<Data> keys = new HashSet<>();
        recordStore.forEach((key, record) -> keys.add(key), false);
        for (DelayedEntry entry : HazelcastMember.queue(queue).asList()) {
            keys.add((Data) entry.getKey());
        }
        NodeEngine engine = getNodeEngine();
        List<Object> objects = new ArrayList<>(keys.size());
        keys.forEach(key -> objects.add(engine.toObject(key)));
        clearing.clearPartition(objects, super::runInternal);
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.CLEAR;
    }
}
