package dev.lattice.server.merge;

import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.services.NodeAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingEntry;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import org.jspecify.annotations.Nullable;

/**
 * Lattice's merge policy for maps: when the smaller side of a split merges into the bigger, the
 * bigger side's state wins, deletions included. Hazelcast's default, put-if-absent, adds every
 * entry the bigger side does not hold, so a key deleted there during the split came back, in the
 * grid and, through the map store, in the table.
 *
 * <p>The bigger side holds every change acknowledged during the split (the smaller side is below
 * the minimum cluster size and refuses writes), but only for the partitions it kept a copy of. A
 * partition it lost (every copy on the other side, {@link LostPartitions} marks it) exists only on
 * the merging side, so there the merging entry is added, as put-if-absent would. A key both sides
 * hold keeps the bigger side's value, as before.
 *
 * <p>Hazelcast creates the policy by class name on the merging side and sends it with the entries;
 * the receiving member initialises it, so it reads the marks of the member that owns the partition.
 */
public final class MajorityMergePolicy implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object>, NodeAware {

    private transient @Nullable Node node;

    /** For Hazelcast, which creates the policy by class name. */
    public MajorityMergePolicy() {
    }

    @Override
    public void setNode(Node node) {
        this.node = node;
    }

    @Override
    public @Nullable Object merge(MergingValue<Object> merging, @Nullable MergingValue<Object> existing) {
        if (existing != null) {
            return existing.getRawValue();
        }
        // Not a map entry (no key to find its partition by), or not yet on a member: put-if-absent.
        Node member = node;
        if (!(merging instanceof MergingEntry<?, ?> entry) || !(entry.getRawKey() instanceof Data key) || member == null) {
            return merging.getRawValue();
        }
        int partitionId = member.getPartitionService().getPartitionId(key);
        return LostPartitions.marked(member.getNodeEngine(), partitionId) ? merging.getRawValue() : null;
    }

    @Override
    public void writeData(ObjectDataOutput out) {
        // stateless: the marks are read on the member that merges
    }

    @Override
    public void readData(ObjectDataInput in) {
        // stateless
    }
}
