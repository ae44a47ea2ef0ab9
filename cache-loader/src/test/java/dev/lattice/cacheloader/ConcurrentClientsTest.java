package dev.lattice.cacheloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Phaser;
import org.junit.jupiter.api.Test;

/** Two clients racing on the same keys: the table ends up exactly like the grid. */
class ConcurrentClientsTest {

    @Test
    void twoClientsWritingTheSameKeys_tableMatchesTheGridAfterFlush() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(1))
                .table("shared").valueType(ValueType.TEXT).build();
        try (TestDatabase db = PostgresFixture.createDatabase();
             HikariDataSource pool = Fixtures.pool(db);
             LocalCluster cluster = Fixtures.cluster(2, "shared", settings, pool, new SimpleMeterRegistry(), c -> { })) {
            HazelcastInstance alice = cluster.newClient();
            HazelcastInstance bob = cluster.newClient();
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> write(alice, "alice"));
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> write(bob, "bob"));
            CompletableFuture.allOf(a, b).join();

            IMap<String, String> shared = alice.getMap("shared");
            shared.flush();
            Map<String, String> grid = new HashMap<>();
            shared.entrySet().forEach(e -> grid.put(e.getKey(), e.getValue()));
            assertThat(grid).hasSize(700).containsKeys("alice-own-99", "bob-own-99", "k499");
            assertThat(Fixtures.rows(pool, "shared")).isEqualTo(grid);
        }
    }

    private final Phaser start = new Phaser(2);

    private void write(HazelcastInstance client, String who) {
        IMap<String, String> shared = client.getMap("shared");
        start.arriveAndAwaitAdvance();
        for (int i = 0; i < 3000; i++) {
            shared.set("k" + (i % 500), who + "-" + i);
            if (i % 30 == 0) {
                shared.set(who + "-own-" + (i / 30), who + "-" + i);
            }
        }
    }
}
