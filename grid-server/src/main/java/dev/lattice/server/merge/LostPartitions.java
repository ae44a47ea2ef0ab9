package dev.lattice.server.merge;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.recordstore.RecordStore;
import com.hazelcast.partition.PartitionLostEvent;
import com.hazelcast.partition.PartitionLostListener;
import com.hazelcast.spi.impl.NodeEngine;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks each partition whose data this member's cluster lost: every copy was on members that left
 * at once, as the other side of a network partition does. The mark is an entry of the map
 * {@value #MAP}, placed in the very partition it marks, so it moves with the partition to whichever
 * member owns it when the sides merge; {@link MajorityMergePolicy} reads it there. Once the member
 * holding the partition's only copy has merged it, {@link MergedPartitions} removes the mark.
 */
public final class LostPartitions implements PartitionLostListener, HazelcastInstanceAware {

    /** The map holding the marks; {@code __} keeps it out of Lattice's map meters. */
    public static final String MAP = "__lattice.lost-partitions";

    private static final Logger log = LoggerFactory.getLogger(LostPartitions.class);

    /** A key per partition that lands in it, by partition count. */
    private static final ConcurrentMap<Integer, String[]> KEYS = new ConcurrentHashMap<>();

    private final int minimumClusterSize;
    private volatile @Nullable HazelcastInstance instance;
    /** From {@code MERGING} until the merge ends: a loss reported meanwhile is the old side's. */
    private volatile boolean merging;

    /** {@code minimumClusterSize}: the split-brain protection's, 1 when there is none. */
    public LostPartitions(int minimumClusterSize) {
        this.minimumClusterSize = minimumClusterSize;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
        instance.getLifecycleService().addLifecycleListener(event -> {
            switch (event.getState()) {
                case MERGING -> merging = true;
                case MERGED, MERGE_FAILED -> merging = false;
                default -> {
                    // not a merge
                }
            }
        });
    }

    /**
     * Every member hears of every loss (the listener is registered cluster-wide), so each writes the
     * same mark. Both sides of a split mark their losses (the map has no split-brain protection):
     * the merging side's marks are discarded at the merge, and the other side's are needed should
     * Hazelcast ever merge the bigger side into the smaller (sides of equal size merge by a hash).
     */
    @Override
    public void partitionLost(PartitionLostEvent event) {
        HazelcastInstance member = instance;
        // Replica index N lost means the owner and the first N backups: a map with more backups than
        // that still has a copy, so only a loss reaching past the fewest backups of any map counts.
        if (member == null || event.getLostBackupCount() < fewestBackups(member.getConfig())) {
            return;
        }
        int partitionId = event.getPartitionId();
        if (merging) {
            // Hazelcast hands a loss to the listeners from an executor, so the losses a cut-off side
            // found can reach its member while that member merges into the other side: marked then,
            // the mark landed in the cluster it joined, a partition that cluster never lost took the
            // merging entries, and keys it had deleted during the split came back (SplitMergeTests,
            // once in CI: the losses reached the merging member 5 ms after its merge began).
            log.info("Partition {} lost on the side this member is leaving (reported by {}); not marked", partitionId,
                    event.getEventSource());
            return;
        }
        if (member.getCluster().getLocalMember().getAddress().equals(event.getEventSource())) {
            // Expected on a side below the minimum cluster size (it refuses writes); data lost where it serves them.
            boolean serving = member.getCluster().getMembers().size() >= minimumClusterSize;
            String message = "Partition {} lost every copy on this side (replicas up to {}); when the sides of a split merge,"
                    + " the other side's entries for it are kept";
            if (serving) {
                log.warn(message, partitionId, event.getLostBackupCount());
            } else {
                log.info(message, partitionId, event.getLostBackupCount());
            }
        }
        UUID self = member.getCluster().getLocalMember().getUuid();
        member.<String, Long>getMap(MAP).submitToKey(markKeys(member)[partitionId], new LostPartitionMark(self, System.currentTimeMillis()))
                .whenComplete((written, failure) -> {
                    if (failure != null) {
                        log.info("Partition {} lost, not marked: {}", partitionId, failure.toString());
                    } else if (!written) {
                        log.info("Partition {} lost, not marked: this member left the cluster it was reported in", partitionId);
                    }
                });
    }

    /**
     * Whether this member holds a mark for {@code partitionId}. Read straight from the partition's
     * record store: the merge policy runs on the partition's thread, which must not wait on an
     * invocation.
     */
    static boolean marked(NodeEngine nodeEngine, int partitionId) {
        MapService maps = nodeEngine.getService(MapService.SERVICE_NAME);
        RecordStore<?> marks = maps.getMapServiceContext().getExistingRecordStore(partitionId, MAP);
        return marks != null && !marks.isEmpty();
    }

    /** The fewest backups (sync and async) of any map, the marks map aside. */
    static int fewestBackups(Config config) {
        int fewest = config.getMapConfig("default").getTotalBackupCount();
        for (MapConfig map : config.getMapConfigs().values()) {
            if (!MAP.equals(map.getName())) {
                fewest = Math.min(fewest, map.getTotalBackupCount());
            }
        }
        return fewest;
    }

    /**
     * The key of each partition's mark, by partition id: one that lands in that partition. Found
     * once per partition count.
     */
    static String[] markKeys(HazelcastInstance member) {
        int count = member.getPartitionService().getPartitions().size();
        return KEYS.computeIfAbsent(count, ignored -> keysByPartition(member, count));
    }

    /** Tries {@code partition-0}, {@code partition-1}, ... until every partition has a key landing in it. */
    private static String[] keysByPartition(HazelcastInstance member, int count) {
        String[] keys = new String[count];
        int found = 0;
        for (int i = 0; found < count; i++) {
            String key = "partition-" + i;
            int partitionId = member.getPartitionService().getPartition(key).getPartitionId();
            if (keys[partitionId] == null) {
                keys[partitionId] = key;
                found++;
            }
        }
        return keys;
    }
}
