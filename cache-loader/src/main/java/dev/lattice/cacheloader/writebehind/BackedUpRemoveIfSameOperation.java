package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.operation.RemoveIfSameOperation;
import com.hazelcast.map.impl.operation.steps.engine.Step;
import com.hazelcast.spi.impl.operationservice.Operation;

/**
 * {@code IMap.remove(key, value)} on a write-behind map, with a backup that queues the delete even
 * where it holds no entry. Of a key only in the table, Hazelcast reads the row on the owner alone,
 * removes it there and sends its backup to a member that holds no entry and so skipped its queue:
 * the owner's crash before its write delay lost the delete (92 of 300 in
 * {@code RowsLoadedOnTheOwnerOnlyTest}).
 *
 * <p>A remove that finds no entry at all also waits for a backup (of the delete, which changes
 * nothing where the backup agrees): it is what the repeat of an attempt that failed as
 * indeterminate finds, and its "false" then tells the caller that attempt landed. Answered without a
 * backup, as Hazelcast does, a member cut off from its backups confirmed a delete that only it had
 * applied ({@code ConditionalWritesThatChangeNothingTest}). One that finds another value answers
 * without a backup, as in Hazelcast: it tells nothing about an earlier attempt.
 */
public final class BackedUpRemoveIfSameOperation extends RemoveIfSameOperation {

    /** For deserialization. */
    public BackedUpRemoveIfSameOperation() {
    }

    BackedUpRemoveIfSameOperation(String name, Data key, Data value) {
        super(name, key, value);
    }

    @Override
    public boolean shouldBackup() {
        return super.shouldBackup() || recordStore.getRecord(dataKey) == null;
    }

    /** Hazelcast's steps, but a load step that does not queue the delete before the value matched. */
    @Override
    public Step getStartingStep() {
        return RemoveIfSameSteps.READ;
    }

    @Override
    public Operation getBackupOperation() {
        return new QueuedDeleteBackupOperation(name, dataKey, disableWanReplicationEvent());
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.REMOVE_IF_SAME;
    }
}
