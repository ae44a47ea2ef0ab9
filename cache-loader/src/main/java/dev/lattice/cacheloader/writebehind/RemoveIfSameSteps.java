package dev.lattice.cacheloader.writebehind;

import com.hazelcast.map.impl.operation.steps.IMapOpStep;
import com.hazelcast.map.impl.operation.steps.RemoveIfSameOpSteps;
import com.hazelcast.map.impl.operation.steps.engine.State;
import com.hazelcast.map.impl.operation.steps.engine.Step;
import com.hazelcast.map.impl.recordstore.DefaultRecordStore;

/**
 * The steps of {@code remove(key, value)} when the map store is offloaded (Hazelcast's default):
 * Hazelcast's, with its load step replaced. Hazelcast 5.7's load step of a key not in memory queues
 * the delete as soon as the row is read, before the next step compares its value with the given one:
 * on a write-behind map a remove that answered {@code false} still deleted the row
 * ({@code ConditionalWritesThatChangeNothingTest}), and a remove retried after its load (a partition
 * that moved meanwhile, as right after a member's crash) found its own queued delete and answered
 * {@code false} for a delete that then reached the table (fault suite, seeds 14 and 24). This load
 * step only reads; Hazelcast's delete step queues the delete once the value matched.
 */
enum RemoveIfSameSteps implements IMapOpStep {

    /** Hazelcast's read of the in-memory entry, going on as Hazelcast's does, but to {@link #LOAD} instead of its load. */
    READ {
        @Override
        public void runStep(State state) {
            RemoveIfSameOpSteps.READ.runStep(state);
        }

        @Override
        public Step nextStep(State state) {
            Step next = RemoveIfSameOpSteps.READ.nextStep(state);
            return next == RemoveIfSameOpSteps.LOAD ? LOAD : next;
        }
    },

    /** Reads the row, off the partition thread; Hazelcast's next step compares it. */
    LOAD {
        @Override
        public boolean isLoadStep() {
            return true;
        }

        @Override
        public void runStep(State state) {
            Object value = ((DefaultRecordStore) state.getRecordStore()).loadValueOfKey(state.getKey(), state.getNow());
            if (value != null) {
                state.setOldValue(value);
            } else {
                state.setResult(false);
            }
        }

        /** As Hazelcast's load step goes on: to the end when nothing was read, else to the compare. */
        @Override
        public Step nextStep(State state) {
            return RemoveIfSameOpSteps.LOAD.nextStep(state);
        }
    }
}
