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
import dev.lattice.cacheloader.jdbc.MapTable;
import dev.lattice.cacheloader.jdbc.Ownership;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lattice's only door into Hazelcast internals: a member's partition table and the write-behind
 * queues of one map. Everything Hazelcast-internal that write-behind needs goes through here, so
 * an upgrade has one class to check (Hazelcast 5.7.0 is the last Community Edition release, so the
 * internals are fixed for this line); the tests in this module exercise every method on real members.
 */
final class HazelcastMember implements Ownership {

    private static final Logger log = LoggerFactory.getLogger(HazelcastMember.class);
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
    private int replicaIndex(int partitionId) {
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
    private RecordStore<?> records(int partitionId) {
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
    private static boolean queued(WriteBehindStore store, Data key) {
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

    /**
     * The keys of {@code writes} (key to value, null for a delete) whose latest queued write on this
     * member holds that same value: the others were replaced by a newer write or already stored.
     */
    Set<Object> latestQueued(Map<Object, Object> writes) {
        var serialization = nodeEngine.getSerializationService();
        Map<Data, Object> keys = new HashMap<>();
        Map<Integer, Set<Data>> byPartition = new HashMap<>();
        writes.keySet().forEach(key -> {
            Data data = serialization.toData(key);
            keys.put(data, key);
            byPartition.computeIfAbsent(partitions().getPartitionId(data), p -> new HashSet<>()).add(data);
        });
        Set<Object> latest = new HashSet<>();
        List<String> held = new ArrayList<>();
        int[] heldCount = {0};
        byPartition.forEach((partition, wanted) -> {
            WriteBehindStore store = store(partition);
            if (store == null) {
                return;
            }
            List<DelayedEntry> found = new ArrayList<>();
            queue(store).filter(e -> wanted.contains((Data) e.getKey()), found);
            Map<Data, DelayedEntry> newest = new HashMap<>();
            found.forEach(e -> newest.merge((Data) e.getKey(), e, (a, b) -> b.getSequence() > a.getSequence() ? b : a));
            RecordStore<?> records = records(partition);
            for (Data data : wanted) {
                Object key = keys.get(data);
                Object value = writes.get(key);
                DelayedEntry entry = newest.get(data);
                if (entry != null ? sameValue(entry.getValue(), value)
                        : value != null ? holds(records, data, value) : holdsNoEntry(records, data)) {
                    latest.add(key);
                    heldCount[0] += entry == null ? 1 : 0;
                    if (entry == null && held.size() < 50) {
                        // Replica 0 is the owner; -1 means this member holds no replica of the partition.
                        held.add(MapTable.describeKey(key) + "@p" + partition + " replica " + replicaIndex(partition));
                    }
                }
            }
        });
        if (heldCount[0] > 0) {
            log.debug("map '{}': {} handed-over write(s) no longer queued but still the key's state in memory (deletes: no entry):"
                    + " written again: {}", mapName,
                    heldCount[0], held);
        }
        return latest;
    }

    /**
     * Whether the map's in-memory entry for the key is {@code value}. A write that is no longer
     * queued but whose value the entry still holds is the latest write of its key: writing it again
     * is at worst a repeat. Hazelcast's worker handed over writes that had left the queue unwritten
     * while partitions moved to a member that had just merged back (docs/reliability.md), and
     * counting those as done dropped them. Deletes: {@link #holdsNoEntry}.
     */
    private boolean holds(RecordStore<?> records, Data key, Object value) {
        var record = records == null ? null : records.getRecord(key);
        return record != null && record.getValue() != null && sameValue(record.getValue(), value);
    }

    /**
     * Whether a delete that is no longer queued is still the latest write of its key: the member
     * holds no entry for the key, and the map neither evicts nor expires entries. Deletes handed over
     * by a joining member's pass of Hazelcast's worker were found no longer queued and yet not stored
     * (what took them off the queue is the same unknown as for the handed-over writes above), and
     * counting them as done lost them (DeleteDuringMigrationTest). On a map that evicts or expires,
     * an entry written after the delete, stored and then evicted would look the same, and writing the
     * delete again would remove that newer row: there the delete still counts as done.
     */
    private boolean holdsNoEntry(RecordStore<?> records, Data key) {
        return keepsEntries && records != null && records.getRecord(key) == null;
    }

    /**
     * For debugging the latest-write check: where each key of {@code writes} stands on this member.
     * Says whether the queued and the in-memory values are the one handed over, never the values.
     */
    List<String> explain(Map<Object, Object> writes, Set<Object> keys) {
        var serialization = nodeEngine.getSerializationService();
        List<String> out = new ArrayList<>();
        for (Object key : keys) {
            Data data = serialization.toData(key);
            int partition = partitions().getPartitionId(data);
            WriteBehindStore store = store(partition);
            List<DelayedEntry> found = new ArrayList<>();
            if (store != null) {
                queue(store).filter(e -> data.equals(e.getKey()), found);
            }
            RecordStore<?> records = records(partition);
            var record = records == null ? null : records.getRecord(data);
            Object value = writes.get(key);
            out.add(MapTable.describeKey(key) + "@p" + partition + (owns(partition) ? " owned" : " not owned")
                    + " queued=" + found.stream().map(e -> e.getSequence() + (sameValue(e.getValue(), value) ? ":this" : ":other")).toList()
                    + " in-memory=" + (record == null ? "none" : sameValue(record.getValue(), value) ? "this" : "other"));
        }
        return out;
    }

    /** The keys of {@code keys} with no write queued on this member (debug logging only). */
    Set<Object> notQueued(Set<Object> keys) {
        var serialization = nodeEngine.getSerializationService();
        Set<Object> out = new HashSet<>();
        for (Object key : keys) {
            Data data = serialization.toData(key);
            WriteBehindStore store = store(partitions().getPartitionId(data));
            if (store == null || !queued(store, data)) {
                out.add(key);
            }
        }
        return out;
    }

    /**
     * Whether a queued value is {@code value}: the same serialized form, or, for a type whose form can
     * differ between two serializations of equal values (a map's iteration order), equal objects.
     * Answering "not the same" for the queued write itself would drop it unwritten.
     */
    private boolean sameValue(Object queued, Object value) {
        if (queued == null || value == null) {
            return queued == null && value == null;
        }
        var serialization = nodeEngine.getSerializationService();
        Data queuedData = queued instanceof Data d ? d : serialization.toData(queued);
        return queuedData.equals(serialization.toData(value)) || value.equals(serialization.toObject(queuedData));
    }

    Object toObject(Object data) {
        return nodeEngine.getSerializationService().toObject(data);
    }
}
