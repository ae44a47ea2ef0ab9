package dev.lattice.cacheloader.writebehind;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.partition.IPartition;
import com.hazelcast.internal.partition.IPartitionService;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.MapContainer;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.map.impl.mapstore.MapStoreContext;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindQueue;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore;
import com.hazelcast.map.impl.mapstore.writebehind.entry.DelayedEntries;
import com.hazelcast.map.impl.mapstore.writebehind.entry.DelayedEntry;
import com.hazelcast.map.impl.recordstore.RecordStore;
import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.NodeEngineImpl;
import com.hazelcast.spi.properties.ClusterProperty;
import dev.lattice.cacheloader.jdbc.Ownership;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.UUID;

/**
 * Lattice's door into a member's partition table and the write-behind queues of one map. With
 * {@link HandedOverWrites} (which reads those queues) and the operations {@link DeleteBackups}
 * installs, these are the Hazelcast internals write-behind depends on, and the classes to check on an
 * upgrade (Hazelcast 5.7.0 is the last Community Edition release, so the internals are fixed for
 * this line); the tests in this module exercise every method on real members.
 */
final class HazelcastMember implements Ownership {

    private static final VarHandle STAGING_AREA;
    private static final MethodHandle REMOVE_FROM_STAGING_AREA;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(WriteBehindStore.class, MethodHandles.lookup());
            STAGING_AREA = lookup.findVarHandle(WriteBehindStore.class, "stagingArea", java.util.concurrent.ConcurrentMap.class);
            REMOVE_FROM_STAGING_AREA = lookup.findVirtual(WriteBehindStore.class, "removeFromStagingArea",
                    java.lang.invoke.MethodType.methodType(void.class, DelayedEntry.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("this Hazelcast version's write-behind store is not the one Lattice"
                    + " was built for (5.7.0): " + e);
        }
    }

    /** The shortest backup-drop delay accepted, longer than any outage a queue is meant to outlast (Lattice sets a year). */
    private static final long MIN_BACKUP_DROP_DELAY_SECONDS = 30L * 24 * 3600;

    private final HazelcastInstance instance;
    private final NodeEngine nodeEngine;
    private final String mapName;
    /** The map neither evicts nor expires entries: an entry it lacks was removed by a write. Map configs are static. */
    private final boolean keepsEntries;
    /** The map's split-brain protection, or null if it has none. */
    private final String splitBrainProtection;

    private HazelcastMember(HazelcastInstance instance, NodeEngine nodeEngine, String mapName) {
        this.instance = instance;
        this.nodeEngine = nodeEngine;
        this.mapName = mapName;
        MapConfig config = nodeEngine.getConfig().findMapConfig(mapName);
        this.keepsEntries = config.getEvictionConfig().getEvictionPolicy() == EvictionPolicy.NONE
                && config.getTimeToLiveSeconds() == 0 && config.getMaxIdleSeconds() == 0;
        this.splitBrainProtection = config.getSplitBrainProtectionName();
    }

    /** The member behind {@code instance}, which must be a member, not a client. */
    static HazelcastMember of(HazelcastInstance instance, String mapName) {
        return new HazelcastMember(instance, nodeEngineOf(instance), mapName);
    }

    /** The node engine of {@code instance}, which must be a member, not a client. */
    static NodeEngineImpl nodeEngineOf(HazelcastInstance instance) {
        HazelcastInstanceImpl impl = instance instanceof HazelcastInstanceProxy proxy ? proxy.getOriginal()
                : instance instanceof HazelcastInstanceImpl direct ? direct : null;
        if (impl == null) {
            throw new IllegalArgumentException("a map store runs on a Hazelcast member; got " + instance.getClass().getName());
        }
        return impl.node.getNodeEngine();
    }

    /** Whether the map neither evicts nor expires entries, so an entry it lacks was removed by a write. */
    boolean keepsEntries() {
        return keepsEntries;
    }

    HazelcastInstance instance() {
        return instance;
    }

    NodeEngine nodeEngine() {
        return nodeEngine;
    }

    String mapName() {
        return mapName;
    }

    @Override
    public UUID clusterId() {
        return nodeEngine.getClusterService().getClusterId();
    }

    @Override
    public UUID memberId() {
        return nodeEngine.getLocalMember().getUuid();
    }

    @Override
    public int partitionVersion(int partitionId) {
        return partitions().getPartition(partitionId).version();
    }

    @Override
    public boolean owns(int partitionId) {
        return partitions().getPartition(partitionId).isLocal();
    }

    /**
     * Fails unless {@code LatticeMapStores.configureMember} prepared this member: Hazelcast's worker
     * kept from dropping backup copies on its own timer (its pass on a newly created map would
     * otherwise drop copies of writes the owner has not stored), and deletes that always wait for
     * their backup ({@link DeleteBackups}).
     */
    void requireConfiguredMember() {
        long seconds = nodeEngine.getProperties().getSeconds(ClusterProperty.MAP_REPLICA_SCHEDULED_TASK_DELAY_SECONDS);
        if (seconds < MIN_BACKUP_DROP_DELAY_SECONDS) {
            throw new IllegalStateException("write-behind map '" + mapName + "': member property "
                    + ClusterProperty.MAP_REPLICA_SCHEDULED_TASK_DELAY_SECONDS.getName() + " is " + seconds
                    + " s, so Hazelcast's worker would drop backup copies of writes not yet stored; call"
                    + " LatticeMapStores.configureMember(config) before starting the member");
        }
        if (!DeleteBackups.installed(nodeEngine, mapName)) {
            throw new IllegalStateException("write-behind map '" + mapName + "': this member creates Hazelcast's own"
                    + " deletes, which a member's crash can lose; call LatticeMapStores.configureMember(config)"
                    + " before starting the member");
        }
    }

    /** This member's replica index of the partition (0 the owner), or -1 if it holds none; for debug logs. */
    int replicaIndex(int partitionId) {
        IPartition partition = partitions().getPartition(partitionId);
        Address self = nodeEngine.getThisAddress();
        for (int i = 0; i <= IPartition.MAX_BACKUP_COUNT; i++) {
            if (self.equals(partition.getReplicaAddress(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Whether this member holds a backup replica (not the owner's) of the partition. */
    boolean backs(int partitionId) {
        IPartition partition = partitions().getPartition(partitionId);
        Address self = nodeEngine.getThisAddress();
        return !partition.isLocal() && partition.isOwnerOrBackup(self);
    }

    @Override
    public int partitionOf(Object key) {
        return key instanceof Data data ? partitions().getPartitionId(data) : partitions().getPartitionId(key);
    }

    @Override
    public int clusterSize() {
        return nodeEngine.getClusterService().getSize();
    }

    /** Hazelcast's own state for the map's split-brain protection (grid-server counts members heard from lately). */
    @Override
    public boolean hearsMinimum() {
        return splitBrainProtection == null
                || instance.getSplitBrainProtectionService().getSplitBrainProtection(splitBrainProtection).hasMinimumSize();
    }

    @Override
    public int partitionCount() {
        return partitions().getPartitionCount();
    }

    boolean running() {
        return nodeEngine.isRunning();
    }

    private IPartitionService partitions() {
        return nodeEngine.getPartitionService();
    }

    private MapServiceContext mapServiceContext() {
        MapService service = nodeEngine.getService(MapService.SERVICE_NAME);
        return service.getMapServiceContext();
    }

    /**
     * Stops Hazelcast's own write-behind worker for this map: Lattice's drainer takes over storing,
     * and its backups keep their copies until the owner confirms. Harmless to call repeatedly.
     */
    void stopHazelcastStoreWorker() {
        // Never create the container from here: this may run while Hazelcast is still creating it.
        MapContainer container = mapServiceContext().getExistingMapContainer(mapName);
        if (container != null) {
            MapStoreContext context = container.getMapStoreContext();
            context.stop();
        }
    }

    /** The write-behind store of this map's partition on this member, or null if it has none. */
    WriteBehindStore store(int partitionId) {
        RecordStore<?> recordStore = records(partitionId);
        return recordStore != null && recordStore.getMapDataStore() instanceof WriteBehindStore store ? store : null;
    }

    /** This map's in-memory entries of the partition on this member, or null if it holds none. */
    RecordStore<?> records(int partitionId) {
        return mapServiceContext().getPartitionContainer(partitionId).getExistingRecordStore(mapName);
    }

    /** The queue of a write-behind store; Hazelcast wraps it so each call is atomic. */
    static WriteBehindQueue<DelayedEntry> queue(WriteBehindStore store) {
        return store.getWriteBehindQueue();
    }

    /** Whether the key has a write the store has not finished: queued, or being retried after a failure. */
    static boolean pending(WriteBehindStore store, Data key) {
        if (queued(store, key)) {
            return true;
        }
        @SuppressWarnings("unchecked")
        Map<Data, DelayedEntry> staging = (Map<Data, DelayedEntry>) STAGING_AREA.get(store);
        return staging.containsKey(key);
    }

    /** Whether the store's queue holds a write of the key (the queue matches entries by key). */
    static boolean queued(WriteBehindStore store, Data key) {
        return store.getWriteBehindQueue().contains(DelayedEntries.newNullEntry(key));
    }

    /** Forgets a stored entry in the store's read-your-writes area (Hazelcast does this after its own stores). */
    static void unstage(WriteBehindStore store, DelayedEntry entry) {
        try {
            REMOVE_FROM_STAGING_AREA.invoke(store, entry);
        } catch (Throwable e) {
            throw new IllegalStateException("could not clear a stored write-behind entry", e);
        }
    }

    Object toObject(Object data) {
        return nodeEngine.getSerializationService().toObject(data);
    }
}
