package dev.lattice.cacheloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.transaction.TransactionalMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Updates (not deletes: {@link RowsLoadedOnTheOwnerOnlyTest}) of rows that only the owner holds in
 * memory, because it loaded them for the operation itself. The backup must end with the owner's new
 * value queued, whatever it held before, so that the update reaches the table when the owner crashes
 * within the write delay. An entry processor is the sharpest case: its backup runs the processor
 * again on the backup's own entry, which it does not have ({@code executeOnKey} of a row not in
 * memory: {@link EntryProcessorOnUnloadedKeyTest}). All of these held on Hazelcast's own operations
 * when written; they pin it.
 */
class UpdatesOfRowsLoadedOnTheOwnerOnlyTest extends DatabaseBackedTest {

    private static final int KEYS = 300;

    @Test
    void executeOnKeysOverRowsNotInMemory_itsUpdatesReachTheTableAfterTheOwnersCrash() {
        updateThenCrashOwner((map, i) -> {
            if (i % 50 == 49) {
                Set<String> keys = new TreeSet<>();
                for (int k = i - 49; k <= i; k++) {
                    keys.add("p" + k);
                }
                assertThat(map.executeOnKeys(keys, new Prefix("updated-"))).hasSize(50);
            }
        });
    }

    @Test
    void submitToKeyAfterGet_itsUpdateReachesTheTableAfterTheOwnersCrash() {
        updateThenCrashOwner((map, i) -> {
            assertThat(map.get("p" + i)).isEqualTo("row" + i);
            map.submitToKey("p" + i, new Prefix("updated-")).toCompletableFuture().join();
        });
    }

    @Test
    void replaceOfRowsNotInMemory_reachesTheTableAfterTheOwnersCrash() {
        updateThenCrashOwner((map, i) -> assertThat(map.replace("p" + i, "updated-row" + i)).isEqualTo("row" + i));
    }

    @Test
    void conditionalReplaceOfRowsNotInMemory_reachesTheTableAfterTheOwnersCrash() {
        updateThenCrashOwner((map, i) -> assertThat(map.replace("p" + i, "row" + i, "updated-row" + i)).isTrue());
    }

    @Test
    void putAllOverRowsReadOnlyThroughGet_reachesTheTableAfterTheOwnersCrash() {
        updateThenCrashOwner((map, i) -> {
            assertThat(map.get("p" + i)).isEqualTo("row" + i);
            map.putAll(Map.of("p" + i, "updated-row" + i));
        });
    }

    @Test
    void transactionalSetsOfRowsReadInTheTransaction_reachTheTableAfterTheOwnersCrash() {
        updateThenCrashOwner((map, i) -> { }, (map, i) -> {
            assertThat(map.getForUpdate("p" + i)).isEqualTo("row" + i);
            map.set("p" + i, "updated-row" + i);
        });
    }

    /** Prefixes the value; returns the new value. Runs on members, so it travels serialized. */
    private record Prefix(String prefix) implements EntryProcessor<String, String, String> {
        @Override
        public String process(Map.Entry<String, String> entry) {
            String updated = prefix + entry.getValue();
            entry.setValue(updated);
            return updated;
        }
    }

    private void updateThenCrashOwner(BiConsumer<IMap<String, String>, Integer> update) {
        updateThenCrashOwner(update, null);
    }

    private void updateThenCrashOwner(BiConsumer<IMap<String, String>, Integer> update,
            BiConsumer<TransactionalMap<String, String>, Integer> inTransaction) {
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < KEYS; i++) {
            expected.put("p" + i, "updated-row" + i);
        }
        OwnerCrash.writeThenCrashOwner(pool, KEYS, update, inTransaction, expected);
    }
}
