package dev.lattice.cacheloader.writebehind;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.impl.operationservice.Operation;
import com.hazelcast.spi.impl.operationservice.OperationFactory;
import java.io.IOException;

/** Creates a {@link StoredClearOperation} per partition for {@code IMap.clear()}; travels to every member. */
public final class StoredClearOperationFactory implements OperationFactory {

    private String name;

    /** For deserialization. */
    public StoredClearOperationFactory() {
    }

    StoredClearOperationFactory(String name) {
        this.name = name;
    }

    @Override
    public Operation createOperation() {
        return new StoredClearOperation(name);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(name);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        name = in.readString();
    }

    @Override
    public int getFactoryId() {
        return LatticeOperations.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return LatticeOperations.CLEAR_FACTORY;
    }
}
