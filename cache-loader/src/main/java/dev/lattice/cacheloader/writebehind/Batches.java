package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.mapstore.writebehind.entry.DelayedEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How due entries are cut into batches. With write coalescing every key is queued at most once,
 * so any grouping is safe and batches mix partitions and run in parallel. Without it a key may be
 * queued several times and its writes must land in order: each partition's entries form a chain,
 * chains run in parallel, and a chain's batches run one after another, each cut before a key it
 * already holds (one multi-row upsert can not write a key twice).
 */
final class Batches {

    private Batches() {
    }

    /** Units that may run in parallel; each is written batch after batch by {@link #ofChain}. */
    static List<List<DelayedEntry>> chains(List<DelayedEntry> due, int batchSize, boolean coalescing) {
        if (coalescing) {
            List<List<DelayedEntry>> chains = new ArrayList<>();
            for (int i = 0; i < due.size(); i += batchSize) {
                chains.add(due.subList(i, Math.min(due.size(), i + batchSize)));
            }
            return chains;
        }
        Map<Integer, List<DelayedEntry>> byPartition = new LinkedHashMap<>();
        due.forEach(e -> byPartition.computeIfAbsent(e.getPartitionId(), p -> new ArrayList<>()).add(e));
        return new ArrayList<>(byPartition.values());
    }

    /** The batches of one chain, in order. */
    static List<List<DelayedEntry>> ofChain(List<DelayedEntry> chain, int batchSize, boolean coalescing) {
        if (coalescing) {
            return List.of(chain);
        }
        List<List<DelayedEntry>> batches = new ArrayList<>();
        List<DelayedEntry> batch = new ArrayList<>();
        Set<Data> keys = new HashSet<>();
        for (DelayedEntry entry : chain) {
            if (batch.size() == batchSize || !keys.add((Data) entry.getKey())) {
                batches.add(batch);
                batch = new ArrayList<>();
                keys.clear();
                keys.add((Data) entry.getKey());
            }
            batch.add(entry);
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }
}
