package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore;
import com.hazelcast.map.impl.mapstore.writebehind.entry.DelayedEntry;
import com.hazelcast.map.impl.operation.PartitionWideEntryWithPredicateOperation;
import com.hazelcast.map.impl.operation.steps.engine.Step;
import com.hazelcast.query.Predicate;
import com.hazelcast.spi.impl.operationservice.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * An entry processor run over a partition of a write-behind map ({@code removeAll(predicate)},
 * {@code executeOnEntries}), backed up with exactly the writes it queued on the owner.
 *
 * <p>Hazelcast's backup runs the processor again over the entries the backup holds. An entry the
 * owner loaded from the table alone (a {@code get} loads on the owner only) is not among them, so
 * its change was queued on the owner only and the owner's crash before its write delay lost it
 * (95 of 300 removes in {@code RowsLoadedOnTheOwnerOnlyTest}). Here the backup receives each key
 * the owner queued a write for while this operation ran, with its new value or none (a delete).
 */
public final class PartitionWideChangesOperation extends PartitionWideEntryWithPredicateOperation {

    private transient List<Data> changedKeys = List.of();
    private transient List<Data> changedValues = List.of();

    /** For deserialization. */
    public PartitionWideChangesOperation() {
    }

    PartitionWideChangesOperation(String name, EntryProcessor<?, ?, ?> processor, Predicate<?, ?> predicate) {
        super(name, processor, predicate);
    }

    /** Not stepped: Hazelcast's stepped run would skip {@link #runInternal}, where the changes are read. */
    @Override
    public Step getStartingStep() {
        return null;
    }

    @Override
    protected void runInternal() {
        if (recordStore == null || !(recordStore.getMapDataStore() instanceof WriteBehindStore store)) {
            super.runInternal();
            return;
        }
        long before = highestSequence(store);
        super.runInternal();
        List<Data> keys = new ArrayList<>();
        List<Data> values = new ArrayList<>();
        for (DelayedEntry entry : HazelcastMember.queue(store).asList()) {
            if (entry.getSequence() > before) {
                keys.add((Data) entry.getKey());
                values.add(entry.getValue() == null ? null : getNodeEngine().toData(entry.getValue()));
            }
        }
        changedKeys = keys;
        changedValues = values;
    }

    private static long highestSequence(WriteBehindStore store) {
        long highest = Long.MIN_VALUE;
        for (DelayedEntry entry : HazelcastMember.queue(store).asList()) {
            highest = Math.max(highest, entry.getSequence());
        }
        return highest;
    }

    @Override
    public boolean shouldBackup() {
        return mapContainer.getTotalBackupCount() > 0 && !changedKeys.isEmpty();
    }

    @Override
    public Operation getBackupOperation() {
        return new QueuedChangesBackupOperation(name, changedKeys, changedValues);
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.PARTITION_WIDE;
    }
}
