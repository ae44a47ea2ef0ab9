package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.operation.PutWithExpiryOperation;
import com.hazelcast.map.impl.operation.steps.engine.Step;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;

/**
 * {@code IMap.put} (with or without a TTL or max idle) on a write-through map: Hazelcast's, but a
 * retry after its row was written answers from what the first attempt read ({@link FirstStore}).
 */
public final class RepeatSafePutOperation extends PutWithExpiryOperation implements FirstStore.Holder {

    private final FirstStore firstStore = new FirstStore();

    /** For deserialization. */
    public RepeatSafePutOperation() {
    }

    RepeatSafePutOperation(String name, Data key, Data value, long ttl, long maxIdle) {
        super(name, key, value, ttl, maxIdle);
    }

    @Override
    public FirstStore firstStore() {
        return firstStore;
    }

    @Override
    public Step getStartingStep() {
        return RepeatSafePutSteps.READ;
    }

    @Override
    protected void writeInternal(ObjectDataOutput out) throws IOException {
        super.writeInternal(out);
        firstStore.writeTo(out);
    }

    @Override
    protected void readInternal(ObjectDataInput in) throws IOException {
        super.readInternal(in);
        firstStore.readFrom(in);
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.REPEAT_SAFE_PUT;
    }
}
