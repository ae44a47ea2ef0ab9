package dev.lattice.cacheloader.writebehind;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import com.hazelcast.spi.impl.operationservice.Operation;
import com.hazelcast.spi.impl.operationservice.impl.operations.PartitionAwareOperationFactory;
import java.io.IOException;

/**
 * Creates a {@link PartitionWideChangesOperation} per partition; travels to every member. Unlike
 * Hazelcast's factory it does not narrow the run to keys an index finds: each partition is scanned.
 */
public final class PartitionWideChangesOperationFactory extends PartitionAwareOperationFactory {

    private String name;
    private EntryProcessor<?, ?, ?> processor;
    private Predicate<?, ?> predicate;

    /** For deserialization. */
    public PartitionWideChangesOperationFactory() {
    }

    /** {@code predicate} null: every entry. */
    PartitionWideChangesOperationFactory(String name, EntryProcessor<?, ?, ?> processor, Predicate<?, ?> predicate) {
        this.name = name;
        this.processor = processor;
        this.predicate = predicate == null ? Predicates.alwaysTrue() : predicate;
    }

    @Override
    public Operation createPartitionOperation(int partition) {
        return new PartitionWideChangesOperation(name, processor, predicate);
    }

    @Override
    public Operation createOperation() {
        return new PartitionWideChangesOperation(name, processor, predicate);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(name);
        out.writeObject(processor);
        out.writeObject(predicate);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        name = in.readString();
        processor = in.readObject();
        predicate = in.readObject();
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.PARTITION_WIDE_FACTORY;
    }
}
