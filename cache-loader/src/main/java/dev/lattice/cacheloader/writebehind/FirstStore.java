package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.nio.IOUtil;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.util.BiTuple;
import com.hazelcast.map.impl.operation.steps.engine.State;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;

/**
 * What a write-through put read from the table in the attempt that first wrote its row, kept by the
 * operation across Hazelcast's retries of it ({@link RepeatSafePutSteps}).
 *
 * <p>Hazelcast runs the store step off the partition thread; the step after it, back on the partition
 * thread, first checks the partition is still this member's and not migrating. If not, the whole
 * operation is retried from its first step, on the partition's owner by then, after the row was
 * written. A key that was not in memory is then read from the table again, and that read returns the
 * row the first attempt wrote: a {@code put} answered its own value as the key's previous one, and a
 * {@code putIfAbsent} answered that the key was present, for a write that did happen. The retry
 * replays the first attempt's read instead. ({@code replace} is not affected: Hazelcast puts the row
 * it read into memory before the store step, so a retry finds it there.)
 *
 * <p>Hazelcast retries an operation on a member by invoking the same object again, running it there
 * if the partition stayed or sending it, serialized with this state, to the new owner. An attempt
 * that ran on a member other than the one that received the call (the owner changed before the call
 * reached it) changed only that member's copy, so its retry reads the table again as before.
 *
 * <p>No locking: an operation's steps and attempts run one at a time, each handed to the next thread
 * through Hazelcast's executors, queues and response futures, which order their writes.
 */
final class FirstStore {

    /** What the current attempt's load step read; null if it read nothing (the key was in memory). */
    private Read current;

    /** Set once the first store step starts: from then on the table may hold the call's own row. */
    private boolean stored;
    /** What the attempt that first stored had read; null if it read nothing, so there is nothing to replay. */
    private Read first;

    /** An attempt starts; steps of one attempt run one after another, each seeing the last's writes. */
    void attemptStarted() {
        current = null;
    }

    /** Whether an earlier attempt wrote the row after reading it, and so what it read is to be used again. */
    boolean replayInto(State state) {
        if (first == null) {
            return false;
        }
        state.setOldValue(first.oldValue());
        state.setLoadedOldValueWithTtl(first.withTtl());
        return true;
    }

    void loadedFrom(State state) {
        current = new Read(state.getOldValue(), state.getLoadedOldValueWithTtl());
    }

    /** The row is about to be written: the first time, what this attempt read is kept for any retry. */
    void storing() {
        if (!stored) {
            stored = true;
            first = current;
        }
    }

    void writeTo(ObjectDataOutput out) throws IOException {
        out.writeBoolean(first != null);
        if (first != null) {
            writeValue(out, first.oldValue());
            out.writeBoolean(first.withTtl() != null);
            if (first.withTtl() != null) {
                writeValue(out, first.withTtl().element1);
                out.writeLong(first.withTtl().element2);
            }
        }
    }

    void readFrom(ObjectDataInput in) throws IOException {
        if (!in.readBoolean()) {
            return;
        }
        stored = true;
        Object oldValue = readValue(in);
        BiTuple<Object, Long> withTtl = in.readBoolean() ? BiTuple.of(readValue(in), in.readLong()) : null;
        first = new Read(oldValue, withTtl);
    }

    /** A value as the store's load gave it: serialized already ({@link Data}, which writeObject refuses) or not. */
    private static void writeValue(ObjectDataOutput out, Object value) throws IOException {
        boolean data = value instanceof Data;
        out.writeBoolean(data);
        if (data) {
            IOUtil.writeData(out, (Data) value);
        } else {
            out.writeObject(value);
        }
    }

    private static Object readValue(ObjectDataInput in) throws IOException {
        return in.readBoolean() ? IOUtil.readData(in) : in.readObject();
    }

    /** What a load step left in the operation's state: the old value, and the loaded value with its TTL. */
    private record Read(Object oldValue, BiTuple<Object, Long> withTtl) {
    }

    /** An operation that carries its first store across retries. */
    interface Holder {
        FirstStore firstStore();
    }
}
