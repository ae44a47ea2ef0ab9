package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.map.impl.MapStoreWrapper;
import com.hazelcast.map.impl.mapstore.MapDataStore;
import com.hazelcast.map.impl.mapstore.writethrough.WriteThroughStore;
import com.hazelcast.map.impl.operation.steps.IMapOpStep;
import com.hazelcast.map.impl.operation.steps.PutAllOpSteps;
import com.hazelcast.map.impl.operation.steps.engine.State;
import com.hazelcast.map.impl.operation.steps.engine.Step;
import java.util.HashMap;
import java.util.Map;

/**
 * Hazelcast's steps of a {@code putAll} on one partition ({@link PutAllOpSteps}), with one change:
 * the store step hands the partition's entries to the store at once, where Hazelcast calls
 * {@code store} once per entry ("TODO storeAll can be more appropriate?" in its source). Lattice's
 * store writes them in one transaction, all or nothing ({@link BatchStoring}). Only the steps up to
 * the store are Lattice's; the store step goes on to Hazelcast's own {@code PROCESS} (entries into
 * memory, events, near-cache invalidation, backups), so everything after it is as in Hazelcast. A
 * store that is not {@link BatchStoring}, or that takes expiration times, gets Hazelcast's
 * entry-by-entry step; so does every {@code putAll} of a map whose store is not offloaded
 * ({@code MapStoreConfig.offload=false}), which Hazelcast runs without these steps.
 */
enum BatchStoredPutAllSteps implements IMapOpStep {

    READ {
        @Override
        public void runStep(State state) {
            PutAllOpSteps.READ.runStep(state);
        }

        @Override
        public Step nextStep(State state) {
            Step next = PutAllOpSteps.READ.nextStep(state);
            return next == PutAllOpSteps.LOAD_ALL ? LOAD_ALL : STORE_ALL;
        }
    },

    LOAD_ALL {
        @Override
        public boolean isLoadStep() {
            return true;
        }

        @Override
        public void runStep(State state) {
            PutAllOpSteps.LOAD_ALL.runStep(state);
        }

        @Override
        public Step nextStep(State state) {
            return STORE_ALL;
        }
    },

    STORE_ALL {
        @Override
        public boolean isStoreStep() {
            return true;
        }

        @Override
        public void runStep(State state) {
            BatchStoring store = batchStoring(state.getRecordStore().getMapDataStore());
            if (store == null) {
                PutAllOpSteps.STORE_ALL.runStep(state);
                return;
            }
            storeAtOnce(state, store);
        }

        /** Hazelcast's own steps from here on: putting the entries in memory, events, backups. */
        @Override
        public Step nextStep(State state) {
            return PutAllOpSteps.PROCESS;
        }
    };

    /** The write-through store to hand whole batches, or null where Hazelcast's own step must run. */
    private static BatchStoring batchStoring(MapDataStore<Data, Object> dataStore) {
        if (!(dataStore instanceof WriteThroughStore writeThrough)) {
            return null;
        }
        MapStoreWrapper store = writeThrough.getStore();
        boolean plain = !store.isWithExpirationTime() && !store.isPostProcessingMapStore();
        return plain && store.getImpl() instanceof BatchStoring batchStoring ? batchStoring : null;
    }

    /**
     * READ left the partition's entries (serialized key to serialized value) as the state's result;
     * the next step expects the same map back, each value as the store step returns it (for a store
     * that does not post-process, the value it was given). If the store throws, nothing was stored and
     * the operation fails: nothing of this partition changes in memory either.
     */
    @SuppressWarnings("unchecked")
    private static void storeAtOnce(State state, BatchStoring store) {
        Map<Data, Object> entries = (Map<Data, Object>) state.getResult();
        MapServiceContext context = state.getRecordStore().getMapContainer().getMapServiceContext();
        Map<Object, Object> batch = new HashMap<>(Math.max(4, entries.size() * 2));
        entries.forEach((key, value) -> batch.put(context.toObject(key), context.toObject(value)));
        store.storeAllOrNothing(batch);
    }
}
