package dev.lattice.server.merge;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.partition.Partition;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the lost-partition marks ({@link LostPartitions}) that a merge has served. On the merging
 * side, the member that owns a partition sends its entries, and Hazelcast reports the merge done
 * ({@code MERGED}) only once every merge operation it sent has been answered. So the partitions this
 * member owned when its merge began are the ones whose only copy it has just handed over: their
 * marks have done their work. Left in place, a mark would make the partition take the other side's
 * entries at every later merge, bringing back the keys deleted in it during a split it survived.
 *
 * <p>A merge that fails ({@code MERGE_FAILED}) removes nothing: the marks stay for the next try.
 */
public final class MergedPartitions implements LifecycleListener, HazelcastInstanceAware {

    private static final Logger log = LoggerFactory.getLogger(MergedPartitions.class);
    private static final long REMOVAL_WAIT_SECONDS = 30;

    private volatile @Nullable HazelcastInstance instance;
    /** The partitions this member owned when its merge began; empty when no merge is under way. */
    private volatile List<Integer> merging = List.of();

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
    }

    @Override
    public void stateChanged(LifecycleEvent event) {
        HazelcastInstance member = instance;
        if (member == null) {
            return;
        }
        switch (event.getState()) {
            // Fired before the member leaves its side: the partition table is still that side's.
            case MERGING -> merging = owned(member);
            case MERGED -> removeMarks(member, merging);
            case MERGE_FAILED -> merging = List.of();
            default -> {
                // not a merge
            }
        }
    }

    private void removeMarks(HazelcastInstance member, List<Integer> partitions) {
        merging = List.of();
        if (partitions.isEmpty()) {
            return;
        }
        var marks = member.<String, Long>getMap(LostPartitions.MAP);
        String[] keys = LostPartitions.markKeys(member);
        CompletableFuture<?>[] removals = partitions.stream()
                .map(partitionId -> marks.deleteAsync(keys[partitionId]).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        // Waited for here, on the merge's own thread, so that once the merge is reported done (the
        // listeners after this one, a split right after) no served mark is left.
        try {
            CompletableFuture.allOf(removals).get(REMOVAL_WAIT_SECONDS, TimeUnit.SECONDS);
            log.debug("Merged {} partition(s); their lost-partition marks removed", partitions.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Those marks stay: their partitions keep put-if-absent merging, which never drops a write.
            log.info("Merged {} partition(s); not every lost-partition mark was removed: {}", partitions.size(), e.toString());
        }
    }

    private static List<Integer> owned(HazelcastInstance member) {
        return member.getPartitionService().getPartitions().stream()
                .filter(partition -> partition.getOwner() != null && partition.getOwner().localMember())
                .map(Partition::getPartitionId)
                .toList();
    }
}
