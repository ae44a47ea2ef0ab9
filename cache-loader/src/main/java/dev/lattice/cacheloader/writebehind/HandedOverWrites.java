package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore;
import com.hazelcast.map.impl.mapstore.writebehind.entry.DelayedEntry;
import com.hazelcast.map.impl.recordstore.RecordStore;
import dev.lattice.cacheloader.jdbc.MapTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which writes handed to the store from outside the drainer (Hazelcast's own worker, which still
 * runs one pass after Lattice stops it) are still the latest write of their key on this member, by
 * the member's write-behind queues and in-memory entries; and, for debug logs, where a key stands.
 */
final class HandedOverWrites {

    private static final Logger log = LoggerFactory.getLogger(HandedOverWrites.class);

    private final HazelcastMember member;

    HandedOverWrites(HazelcastMember member) {
        this.member = member;
    }

    /**
     * The keys of {@code writes} (key to value, null for a delete) whose latest queued write on this
     * member holds that same value: the others were replaced by a newer write or already stored.
     */
    Set<Object> latestQueued(Map<Object, Object> writes) {
        var serialization = member.nodeEngine().getSerializationService();
        Map<Data, Object> keys = new HashMap<>();
        Map<Integer, Set<Data>> byPartition = new HashMap<>();
        writes.keySet().forEach(key -> {
            Data data = serialization.toData(key);
            keys.put(data, key);
            byPartition.computeIfAbsent(member.partitionOf(data), p -> new HashSet<>()).add(data);
        });
        Set<Object> latest = new HashSet<>();
        List<String> held = new ArrayList<>();
        int[] heldCount = {0};
        byPartition.forEach((partition, wanted) -> {
            WriteBehindStore store = member.store(partition);
            if (store == null) {
                return;
            }
            List<DelayedEntry> found = new ArrayList<>();
            HazelcastMember.queue(store).filter(e -> wanted.contains((Data) e.getKey()), found);
            Map<Data, DelayedEntry> newest = new HashMap<>();
            found.forEach(e -> newest.merge((Data) e.getKey(), e, (a, b) -> b.getSequence() > a.getSequence() ? b : a));
            RecordStore<?> records = member.records(partition);
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
                        held.add(MapTable.describeKey(key) + "@p" + partition + " replica " + member.replicaIndex(partition));
                    }
                }
            }
        });
        if (heldCount[0] > 0) {
            log.debug("map '{}': {} handed-over write(s) no longer queued but still the key's state in memory (deletes: no entry):"
                    + " written again: {}", member.mapName(),
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
        return member.keepsEntries() && records != null && records.getRecord(key) == null;
    }

    /**
     * For debugging the latest-write check: where each key of {@code writes} stands on this member.
     * Says whether the queued and the in-memory values are the one handed over, never the values.
     */
    List<String> explain(Map<Object, Object> writes, Set<Object> keys) {
        var serialization = member.nodeEngine().getSerializationService();
        List<String> out = new ArrayList<>();
        for (Object key : keys) {
            Data data = serialization.toData(key);
            int partition = member.partitionOf(data);
            WriteBehindStore store = member.store(partition);
            List<DelayedEntry> found = new ArrayList<>();
            if (store != null) {
                HazelcastMember.queue(store).filter(e -> data.equals(e.getKey()), found);
            }
            RecordStore<?> records = member.records(partition);
            var record = records == null ? null : records.getRecord(data);
            Object value = writes.get(key);
            out.add(MapTable.describeKey(key) + "@p" + partition + (member.owns(partition) ? " owned" : " not owned")
                    + " queued=" + found.stream().map(e -> e.getSequence() + (sameValue(e.getValue(), value) ? ":this" : ":other")).toList()
                    + " in-memory=" + (record == null ? "none" : sameValue(record.getValue(), value) ? "this" : "other"));
        }
        return out;
    }

    /** The keys of {@code keys} with no write queued on this member (debug logging only). */
    Set<Object> notQueued(Set<Object> keys) {
        var serialization = member.nodeEngine().getSerializationService();
        Set<Object> out = new HashSet<>();
        for (Object key : keys) {
            Data data = serialization.toData(key);
            WriteBehindStore store = member.store(member.partitionOf(data));
            if (store == null || !HazelcastMember.queued(store, data)) {
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
        var serialization = member.nodeEngine().getSerializationService();
        Data queuedData = queued instanceof Data d ? d : serialization.toData(queued);
        return queuedData.equals(serialization.toData(value)) || value.equals(serialization.toObject(queuedData));
    }
}
