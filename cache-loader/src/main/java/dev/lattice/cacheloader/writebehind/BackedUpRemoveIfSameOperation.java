package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.operation.RemoveIfSameOperation;
import com.hazelcast.map.impl.operation.steps.engine.State;
import com.hazelcast.map.impl.operation.steps.engine.Step;
import com.hazelcast.spi.impl.operationservice.Operation;

/**
 * {@code IMap.remove(key, value)} on a write-behind map, with a backup that queues the delete even
 * where it holds no entry. Of a key only in the table, Hazelcast reads the row on the owner alone,
 * removes it there and sends its backup to a member that holds no entry and so skipped its queue:
 * the owner's crash before its write delay lost the delete (92 of 300 in
 * {@code RowsLoadedOnTheOwnerOnlyTest}).
 *
 * <p>A remove that finds neither an entry nor a row also waits for a backup (of the delete, which
 * changes nothing where the backup agrees): it is what the repeat of an attempt that failed as
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

    /** Whether the (stepped) run found neither an entry nor a row: only then does a "false" confirm a delete. */
    private transient boolean foundNothing;

    @Override
    public void applyState(State state) {
        super.applyState(state);
        foundNothing = state.getOldValue() == null;
    }

    /**
     * A row read from the table with another value leaves no entry in memory either: that remove
     * must not send the delete backup, or a backup promoted by the owner's crash would delete the row
     * ({@code ConditionalWritesThatChangeNothingTest}). Without offloading (no steps) this is
     * Hazelcast's rule: no backup unless removed.
     */
    @Override
    public boolean shouldBackup() {
        return super.shouldBackup() || foundNothing;
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
