package dev.lattice.server.merge;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a lost-partition mark only if the member that saw the loss is still a member of the
 * cluster the mark lands in.
 *
 * <p>A mark sent just before its member merges into the other side of a split is still pending
 * when the merge resets that member, and Hazelcast sends it again after the rejoin: it then lands
 * in the cluster the member joined, for a partition that cluster never lost, and that partition
 * would take the other side's entries at every later merge. A member rejoins under a new identity,
 * so the old one names no member there and the mark is dropped. A mark from a member that saw a
 * real loss lands while that member is alive. The backup runs the same check against its own
 * member list, which names the same members but for a membership change in between.
 */
public final class LostPartitionMark implements EntryProcessor<String, Long, Boolean>, IdentifiedDataSerializable,
        HazelcastInstanceAware {

    /** "LATM" in ASCII: the grid node's own serializable types; Hazelcast's factories use negative ids. */
    public static final int FACTORY_ID = 0x4C41544D;
    private static final int CLASS_ID = 1;

    private UUID marker;
    private long markedAt;
    private transient HazelcastInstance instance;

    /** For deserialization. */
    public LostPartitionMark() {
    }

    /** A mark by {@code marker}, the member that saw the loss, written at {@code markedAt} (epoch millis). */
    public LostPartitionMark(UUID marker, long markedAt) {
        this.marker = marker;
        this.markedAt = markedAt;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
    }

    /** True if the mark was written; false if the member that saw the loss is not in this cluster. */
    @Override
    public Boolean process(Map.Entry<String, Long> entry) {
        boolean member = instance.getCluster().getMembers().stream().anyMatch(m -> m.getUuid().equals(marker));
        if (member) {
            entry.setValue(markedAt);
        }
        return member;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(marker.getMostSignificantBits());
        out.writeLong(marker.getLeastSignificantBits());
        out.writeLong(markedAt);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        marker = new UUID(in.readLong(), in.readLong());
        markedAt = in.readLong();
    }

    @Override
    public int getFactoryId() {
        return FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return CLASS_ID;
    }

    /** Registered on every grid member as {@link #FACTORY_ID}. */
    public static DataSerializableFactory factory() {
        return classId -> classId == CLASS_ID ? new LostPartitionMark() : null;
    }
}
