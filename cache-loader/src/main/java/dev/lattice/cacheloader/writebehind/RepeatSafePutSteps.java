package dev.lattice.cacheloader.writebehind;

import com.hazelcast.map.impl.operation.steps.IMapOpStep;
import com.hazelcast.map.impl.operation.steps.PutOpSteps;
import com.hazelcast.map.impl.operation.steps.engine.State;
import com.hazelcast.map.impl.operation.steps.engine.Step;

/**
 * The steps of a write-through {@code put} and {@code putIfAbsent} when the map store is offloaded
 * (Hazelcast's default): Hazelcast's, with a load step that, in a retry after the row was written,
 * uses what the first attempt read instead of reading the table again ({@link FirstStore} says why).
 */
enum RepeatSafePutSteps implements IMapOpStep {

    READ {
        @Override
        public void runStep(State state) {
            firstStore(state).attemptStarted();
            PutOpSteps.READ.runStep(state);
        }

        @Override
        public Step nextStep(State state) {
            return ours(PutOpSteps.READ.nextStep(state));
        }
    },

    LOAD {
        @Override
        public boolean isLoadStep() {
            return true;
        }

        @Override
        public void runStep(State state) {
            FirstStore first = firstStore(state);
            if (!first.replayInto(state)) {
                PutOpSteps.LOAD.runStep(state);
                first.loadedFrom(state);
            }
        }

        @Override
        public Step nextStep(State state) {
            return ours(PutOpSteps.LOAD.nextStep(state));
        }
    },

    PROCESS {
        @Override
        public void runStep(State state) {
            PutOpSteps.PROCESS.runStep(state);
        }

        @Override
        public Step nextStep(State state) {
            return ours(PutOpSteps.PROCESS.nextStep(state));
        }
    },

    STORE {
        @Override
        public boolean isStoreStep() {
            return true;
        }

        @Override
        public void runStep(State state) {
            firstStore(state).storing();
            PutOpSteps.STORE.runStep(state);
        }

        @Override
        public Step nextStep(State state) {
            return PutOpSteps.STORE.nextStep(state);
        }
    };

    private static FirstStore firstStore(State state) {
        return ((FirstStore.Holder) state.getOperation()).firstStore();
    }

    /** Hazelcast's next step, or this enum's counterpart of it; the steps after the store are Hazelcast's. */
    private static Step ours(Step next) {
        if (next == PutOpSteps.LOAD) {
            return LOAD;
        }
        if (next == PutOpSteps.PROCESS) {
            return PROCESS;
        }
        if (next == PutOpSteps.STORE) {
            return STORE;
        }
        return next;
    }
}
