package dev.lattice.cacheloader;

import dev.lattice.cacheloader.StoreWrites.Unwritten;
import dev.lattice.cacheloader.jdbc.FailureClassifier;
import dev.lattice.cacheloader.jdbc.JdbcMapLoader;
import dev.lattice.cacheloader.jdbc.StoreFailedException;
import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import dev.lattice.cacheloader.writebehind.WriteBehind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write-behind map's store called while the member runs: Lattice's drainer does not call it, so
 * this is Hazelcast's own worker (or its flush of an entry it evicts). Lattice gives that worker a
 * year's delay and stops it every tick, but it still runs one pass after being stopped and stores
 * what a flush marked, beside the drainer: a restarted node did so, its batch deadlocked against
 * the drainer, and Hazelcast's retry of it a second later put older values over newer ones
 * (docs/reliability.md, fifth session). So such a call writes, between two of the drainer's rounds,
 * only the entries still queued as the latest write of their key.
 */
final class HazelcastWorkerWrites {

    private static final Logger log = LoggerFactory.getLogger(HazelcastWorkerWrites.class);

    private final String mapName;
    private final JdbcMapLoader loader;
    private final ToIntFunction<Object> partitionOf;
    private final BiFunction<List<Write>, String, Unwritten> write;

    HazelcastWorkerWrites(String mapName, JdbcMapLoader loader, ToIntFunction<Object> partitionOf,
                          BiFunction<List<Write>, String, Unwritten> write) {
        this.mapName = mapName;
        this.loader = loader;
        this.partitionOf = partitionOf;
        this.write = write;
    }

    /**
     * Writes the entries of {@code values} still queued as their key's latest write; the others
     * count as done (a newer write replaced them, or they are stored). What did not land stays in
     * {@code values} and fails the call, as Hazelcast's contract asks.
     */
    void writeLatestOnly(WriteBehind writeBehind, Map<Object, Object> values, String what) {
        RuntimeException[] failure = {null};
        int asked = values.size();
        boolean ran = writeBehind.writeLatestOnly(values, latest -> {
            if (log.isDebugEnabled()) {
                logHandOver(writeBehind, values, latest, what, asked);
            }
            List<Write> writes = new ArrayList<>(latest.size());
            latest.forEach(key -> writes.add(new Write(key, values.get(key), partitionOf.applyAsInt(key), key)));
            Unwritten unwritten = write.apply(writes, what);
            values.keySet().retainAll(unwritten.keys());
            try {
                unwritten.throwIfAny();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        if (!ran) {
            throw new StoreFailedException("map '" + mapName + "': " + what + " outside the write-behind drainer"
                    + " waited over 5 s for the drainer's round; the entries stay queued", null);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private void logHandOver(WriteBehind writeBehind, Map<Object, Object> values, Set<Object> latest, String what, int asked) {
        Set<Object> gone = writeBehind.notQueued(latest);
        log.debug("map '{}': {} {} entr(ies) from outside the drainer (thread {}); {} still the latest queued write"
                + " ({} no longer queued, {} of those already in the table); not latest: {}", mapName, what,
                asked, Thread.currentThread().getName(), latest.size(), gone.size(), alreadyStored(values, gone),
                writeBehind.explain(values, values.keySet().stream().filter(k -> !latest.contains(k)).limit(50)
                        .collect(Collectors.toSet())));
    }

    /**
     * For the debug line only: how many of {@code keys} the table already holds with the value
     * handed over, which tells a harmless repeat (the drainer stored it meanwhile) from a write that
     * would have been lost. A read failure says so instead of failing the store.
     */
    private String alreadyStored(Map<Object, Object> values, Collection<Object> keys) {
        try {
            Map<Object, Object> rows = loader.loadAll(List.copyOf(keys));
            return String.valueOf(keys.stream().filter(k -> values.get(k) != null && values.get(k).equals(rows.get(k))).count());
        } catch (RuntimeException e) {
            return "unknown: " + FailureClassifier.describeSafely(e);
        }
    }
}
