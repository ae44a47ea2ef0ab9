package dev.lattice.cacheloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import dev.lattice.cacheloader.config.InitialLoad;
import dev.lattice.cacheloader.config.KeyType;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LifecycleTest extends DatabaseBackedTest {


    private static MapStoreSettings settings(InitialLoad load) {
        return MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(60))
                .table("profiles").keyType(KeyType.LONG).initialLoad(load).build();
    }

    @Test
    void gracefulShutdown_flushesTheWriteBehindQueueBeforeTheMemberExits() {
        try (LocalCluster cluster = Fixtures.cluster(1, "profiles", settings(InitialLoad.LAZY), pool, new SimpleMeterRegistry(), c -> { })) {
            IMap<Long, HazelcastJsonValue> profiles = cluster.member(0).getMap("profiles");
            for (long i = 0; i < 500; i++) {
                profiles.set(i, new HazelcastJsonValue("{\"n\":" + i + "}"));
            }
            assertThat(Fixtures.rows(pool, "profiles")).as("60 s write delay: nothing stored yet").isEmpty();

            cluster.shutdown(0);

            assertThat(Fixtures.rows(pool, "profiles")).hasSize(500).containsEntry("499", "{\"n\": 499}");
        }
    }

    @Test
    void theFlushWatchRunsWhileAWriteBehindMapIsUp_andStopsWithTheMember() {
        try (LocalCluster cluster = Fixtures.cluster(1, "profiles", settings(InitialLoad.LAZY), pool, new SimpleMeterRegistry(), c -> { })) {
            IMap<Long, HazelcastJsonValue> profiles = cluster.member(0).getMap("profiles");
            profiles.set(1L, new HazelcastJsonValue("{\"n\":1}"));
            String watch = "lattice-flush-watch-" + cluster.member(0).getName();
            assertThat(threadsNamed(watch)).as("watch threads while the map is up").isEqualTo(1);

            profiles.flush();
            assertThat(Fixtures.rows(pool, "profiles")).as("60 s write delay, flushed").containsEntry("1", "{\"n\": 1}");

            cluster.shutdown(0);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(threadsNamed(watch)).as("watch threads after shutdown").isZero());
        }
    }

    @Test
    void theFlushWatchStops_whenTheMemberIsTerminated() {
        try (LocalCluster cluster = Fixtures.cluster(1, "profiles", settings(InitialLoad.LAZY), pool, new SimpleMeterRegistry(), c -> { })) {
            cluster.member(0).getMap("profiles").set(1L, new HazelcastJsonValue("{\"n\":1}"));
            String watch = "lattice-flush-watch-" + cluster.member(0).getName();
            assertThat(threadsNamed(watch)).as("watch threads while the map is up").isEqualTo(1);

            cluster.terminate(0);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(threadsNamed(watch)).as("watch threads after terminate").isZero());
        }
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).count();
    }

    @Test
    void restart_eagerMapComesBackWithEveryEntry() {
        try (LocalCluster cluster = Fixtures.cluster(2, "profiles", settings(InitialLoad.EAGER), pool, new SimpleMeterRegistry(), c -> { })) {
            IMap<Long, HazelcastJsonValue> profiles = cluster.newClient().getMap("profiles");
            for (long i = 0; i < 1000; i++) {
                profiles.set(i, new HazelcastJsonValue("{\"n\":" + i + "}"));
            }
            cluster.shutdown(1);
            cluster.shutdown(0);
        }
        try (LocalCluster cluster = Fixtures.cluster(2, "profiles", settings(InitialLoad.EAGER), pool, new SimpleMeterRegistry(), c -> { })) {
            IMap<Long, HazelcastJsonValue> profiles = cluster.newClient().getMap("profiles");
            assertThat(profiles.size()).isEqualTo(1000);
            assertThat(profiles.get(123L).toString()).isEqualTo("{\"n\": 123}");
        }
    }
}
