package dev.lattice.cacheloader.writebehind;

import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindQueue;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore;
import com.hazelcast.map.impl.mapstore.writebehind.entry.DelayedEntry;
import dev.lattice.cacheloader.jdbc.PoisonPolicy;
import dev.lattice.cacheloader.jdbc.TableWriter.Result;
import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import dev.lattice.cacheloader.jdbc.UnreadableValue;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between the queue and the table: turns queued entries into writes, and after a batch removes
 * from the queue exactly the entries that are safely in the table (stored, or parked in the
 * dead-letter table). Everything else stays queued, where its backups' copies also stay.
 */
final class QueueOutcomes {

    private static final Logger log = LoggerFactory.getLogger(QueueOutcomes.class);

    private final HazelcastMember member;
    private final PoisonPolicy poison;

    QueueOutcomes(HazelcastMember member, PoisonPolicy poison) {
        this.member = member;
        this.poison = poison;
    }

    Write toWrite(DelayedEntry entry) {
        Object key = member.toObject(entry.getKey());
        Object value = null;
        if (entry.getValue() != null) {
            try {
                value = member.toObject(entry.getValue());
            } catch (RuntimeException e) {
                value = new UnreadableValue(e.getClass().getSimpleName());
            }
        }
        return new Write(key, value, entry.getPartitionId(), entry);
    }

    /**
     * Removes the entries that are safely stored from their queues.
     *
     * @return true when every entry of the batch left its queue
     */
    boolean settle(List<Write> writes, Result result, boolean coalescing) {
        boolean complete = true;
        for (int i = 0; i < writes.size(); i++) {
            Write write = writes.get(i);
            boolean safe = switch (result.outcome(i)) {
                case STORED -> {
                    poison.written(write.key());
                    yield true;
                }
                case REJECTED -> deadLettered(write, result.error(i));
                case FENCED, WAITING, NOT_ATTEMPTED -> false;
            };
            if (!safe || !remove((DelayedEntry) write.handle(), coalescing)) {
                complete = false;
                if (!coalescing) {
                    // Without coalescing only the head may leave; the rest of the batch is written again later.
                    return false;
                }
            }
        }
        return complete;
    }

    private boolean deadLettered(Write write, Throwable error) {
        try {
            return poison.rejected(write.key(), write.value(), error);
        } catch (SQLException e) {
            log.warn("map '{}': the dead-letter table could not be written; the entry stays queued", member.mapName());
            return false;
        }
    }

    /** Removes the entry if it is still the queued write for its key; a newer write of the key stays. */
    private boolean remove(DelayedEntry entry, boolean coalescing) {
        WriteBehindStore store = member.store(entry.getPartitionId());
        if (store == null) {
            // The partition moved away while its batch was written; the new owner's copy is stored again, harmlessly.
            return true;
        }
        WriteBehindQueue<DelayedEntry> queue = HazelcastMember.queue(store);
        boolean removed;
        if (coalescing) {
            // Removes only if the queued entry for the key is this one or an older one with the same value.
            queue.removeFirstOccurrence(entry);
            removed = true;
        } else {
            // Hazelcast's unbounded-key queue only removes its head; it must be this very entry.
            synchronized (queue) {
                removed = queue.peek() == entry && queue.removeFirstOccurrence(entry);
            }
        }
        if (removed) {
            HazelcastMember.unstage(store, entry);
        }
        return removed;
    }
}
