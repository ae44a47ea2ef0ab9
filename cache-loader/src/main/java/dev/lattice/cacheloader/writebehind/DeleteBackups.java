package dev.lattice.cacheloader.writebehind;

import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.MapEntries;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.map.impl.operation.DefaultMapOperationProvider;
import com.hazelcast.map.impl.operation.MapOperation;
import com.hazelcast.map.impl.operation.MapOperationProvider;
import com.hazelcast.map.impl.operation.MapOperationProviders;
import com.hazelcast.query.Predicate;
import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.operationservice.OperationFactory;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes every delete of a write-behind map wait for its backup ({@link BackedUpDeleteOperation},
 * {@link BackedUpRemoveOperation}, {@link BackedUpRemoveIfSameOperation},
 * {@link BackedUpTxnDeleteOperation}), as well as a {@code putIfAbsent} that finds the key present
 * ({@link BackedUpPutIfAbsentOperation}), backs up exactly what
 * partition-wide entry processors queued ({@link PartitionWideChangesOperation}) and has a clear
 * delete its rows before it answers ({@link StoredClearOperation}): a member's map service is given
 * operation providers that create Lattice's operations for write-behind maps and Hazelcast's for
 * every other map, but for a write-through map's {@code putAll}, which hands its store each
 * partition's entries at once ({@link BatchStoredPutAllOperation}), and its {@code put} and
 * {@code putIfAbsent}, whose retries answer from the first attempt's read ({@link FirstStore}).
 *
 * <p>Hazelcast has no setting for this, so the providers are swapped in by reflection, when the
 * member starts and before it accepts a connection or creates a map proxy (a member proxy keeps
 * the provider it was created with). The store refuses to start where the swap did not happen.
 */
public final class DeleteBackups {

    private static final String PROVIDERS_FIELD = "operationProviders";

    private DeleteBackups() {
    }

    /** Registers the operations and the swap with a member's config. */
    public static void configure(Config config) {
        config.getSerializationConfig().addDataSerializableFactory(LatticeOperations.FACTORY_ID, new LatticeOperations());
        config.addListenerConfig(new ListenerConfig(new SwapOnStart()));
    }

    /** Whether this member creates Lattice's deletes for {@code mapName}. */
    static boolean installed(NodeEngine nodeEngine, String mapName) {
        return context(nodeEngine).getMapOperationProvider(mapName) instanceof BackedUpDeletes;
    }

    static void install(NodeEngine nodeEngine) {
        MapServiceContext context = context(nodeEngine);
        try {
            Field field = context.getClass().getDeclaredField(PROVIDERS_FIELD);
            field.setAccessible(true);
            if (!(field.get(context) instanceof WriteBehindAware)) {
                field.set(context, new WriteBehindAware(nodeEngine));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("can not give " + context.getClass().getName()
                    + " Lattice's delete operations (is this the Hazelcast version Lattice was built with?): " + e, e);
        }
    }

    private static MapServiceContext context(NodeEngine nodeEngine) {
        MapService service = nodeEngine.getService(MapService.SERVICE_NAME);
        return service.getMapServiceContext();
    }

    /** Runs the swap when Hazelcast hands a starting member its listeners. */
    private static final class SwapOnStart implements LifecycleListener, HazelcastInstanceAware {

        @Override
        public void setHazelcastInstance(HazelcastInstance instance) {
            install(HazelcastMember.nodeEngineOf(instance));
        }

        @Override
        public void stateChanged(LifecycleEvent event) {
            // Only here to be a listener Hazelcast accepts in its config.
        }
    }

    /** Lattice's providers for maps with a store, Hazelcast's for the others; decided once per map name. */
    private static final class WriteBehindAware extends MapOperationProviders {

        private enum Kind { WRITE_BEHIND, WRITE_THROUGH, OTHER }

        private final NodeEngine nodeEngine;
        private final MapOperationProvider backedUp = new BackedUpDeletes();
        private final MapOperationProvider writeThrough = new WriteThroughOperations();
        private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

        WriteBehindAware(NodeEngine nodeEngine) {
            this.nodeEngine = nodeEngine;
        }

        @Override
        public MapOperationProvider getOperationProvider(String name) {
            return switch (kinds.computeIfAbsent(name, this::kind)) {
                case WRITE_BEHIND -> backedUp;
                case WRITE_THROUGH -> writeThrough;
                case OTHER -> super.getOperationProvider(name);
            };
        }

        private Kind kind(String name) {
            MapStoreConfig store = nodeEngine.getConfig().findMapConfig(name).getMapStoreConfig();
            if (store == null || !store.isEnabled()) {
                return Kind.OTHER;
            }
            return store.getWriteDelaySeconds() > 0 ? Kind.WRITE_BEHIND : Kind.WRITE_THROUGH;
        }
    }

    /**
     * Hazelcast's operations, but a {@code putAll} that hands its store each partition's entries at once,
     * and puts whose retry after their store answers from the first attempt's read ({@link FirstStore}).
     */
    private static final class WriteThroughOperations extends DefaultMapOperationProvider {

        @Override
        public MapOperation createPutOperation(String name, Data key, Data value, long ttl, long maxIdle) {
            return new RepeatSafePutOperation(name, key, value, ttl, maxIdle);
        }

        @Override
        public MapOperation createPutIfAbsentOperation(String name, Data key, Data value, long ttl, long maxIdle) {
            return new RepeatSafePutIfAbsentOperation(name, key, value, ttl, maxIdle);
        }

        @Override
        public MapOperation createPutAllOperation(String name, MapEntries mapEntries, boolean triggerMapLoader) {
            return new BatchStoredPutAllOperation(name, mapEntries, triggerMapLoader);
        }

        @Override
        public OperationFactory createPutAllOperationFactory(String name, int[] partitions, MapEntries[] mapEntries,
                boolean triggerMapLoader) {
            return new BatchStoredPutAllOperationFactory(name, partitions, mapEntries, triggerMapLoader);
        }
    }

    /** Hazelcast's operations, but the deletes, put-if-absents, clears and partition-wide processors described above. */
    private static final class BackedUpDeletes extends DefaultMapOperationProvider {

        @Override
        public MapOperation createDeleteOperation(String name, Data key, boolean disableWanReplicationEvent) {
            return new BackedUpDeleteOperation(name, key, disableWanReplicationEvent);
        }

        @Override
        public MapOperation createRemoveOperation(String name, Data key) {
            return new BackedUpRemoveOperation(name, key);
        }

        @Override
        public MapOperation createRemoveIfSameOperation(String name, Data key, Data value) {
            return new BackedUpRemoveIfSameOperation(name, key, value);
        }

        @Override
        public MapOperation createPutIfAbsentOperation(String name, Data key, Data value, long ttl, long maxIdle) {
            return new BackedUpPutIfAbsentOperation(name, key, value, ttl, maxIdle);
        }

        @Override
        public MapOperation createTxnDeleteOperation(String name, Data key, long version) {
            return new BackedUpTxnDeleteOperation(name, key, version);
        }

        @Override
        public MapOperation createClearOperation(String name) {
            return new StoredClearOperation(name);
        }

        @Override
        public OperationFactory createClearOperationFactory(String name) {
            return new StoredClearOperationFactory(name);
        }

        @Override
        public OperationFactory createPartitionWideEntryOperationFactory(String name, EntryProcessor entryProcessor) {
            return new PartitionWideChangesOperationFactory(name, entryProcessor, null);
        }

        @Override
        public OperationFactory createPartitionWideEntryWithPredicateOperationFactory(String name, EntryProcessor entryProcessor,
                Predicate predicate) {
            return new PartitionWideChangesOperationFactory(name, entryProcessor, predicate);
        }
    }
}
