package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.transaction.TransactionContext;
import com.hazelcast.transaction.TransactionalMap;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * The shared run of {@link RowsLoadedOnTheOwnerOnlyTest} and {@link UpdatesOfRowsLoadedOnTheOwnerOnlyTest}:
 * three members, a write-behind map with a 5 s write delay, rows {@code p0..p<keys - 1>} only in the
 * table ({@code row<i>}); writes through a client, then the owner of about a third of the keys
 * terminated within the write delay. The table, and the grid, must then hold {@code expected}.
 */
final class OwnerCrash {

    private OwnerCrash() {
    }

    /**
     * Runs {@code write} for each key through the client, then, if given, {@code inTransaction} for
     * each key in a transaction of its own, before the crash.
     */
    static void writeThenCrashOwner(DataSource pool, int keys, BiConsumer<IMap<String, String>, Integer> write,
            BiConsumer<TransactionalMap<String, String>, Integer> inTransaction, Map<String, String> expected) {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(5))
                .table("parcels").valueType(ValueType.TEXT).build();
        try (LocalCluster cluster = Fixtures.cluster(3, "parcels", settings, pool, new SimpleMeterRegistry(), config -> { })) {
            for (int i = 0; i < keys; i++) {
                Fixtures.execute(pool, "INSERT INTO parcels (id, value) VALUES (?, ?)", "p" + i, "row" + i);
            }
            HazelcastInstance client = cluster.newClient();
            IMap<String, String> viaClient = client.getMap("parcels");
            for (int i = 0; i < keys; i++) {
                write.accept(viaClient, i);
            }
            for (int i = 0; i < keys && inTransaction != null; i++) {
                TransactionContext transaction = client.newTransactionContext();
                transaction.beginTransaction();
                inTransaction.accept(transaction.getMap("parcels"), i);
                transaction.commitTransaction();
            }

            // Well within the 5 s write delay: the writes are still queued.
            cluster.terminate(1);

            cluster.awaitSafe(Duration.ofSeconds(60));
            await().atMost(40, SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(new TreeMap<>(Fixtures.rows(pool, "parcels")))
                            .as("rows of acknowledged writes, after the owner's crash").isEqualTo(expected));
            Set<String> all = IntStream.range(0, keys).mapToObj(i -> "p" + i).collect(Collectors.toSet());
            assertThat(new TreeMap<>(viaClient.getAll(all))).as("the grid after the owner's crash").isEqualTo(expected);
        }
    }
}
