package dev.lattice.monitoring.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Map meters on a real member, driven by real clients. */
class MemberMapsMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static LocalCluster cluster;
    private static HazelcastInstance client;
    private static HazelcastInstance nearCachedClient;

    private SimpleMeterRegistry registry;
    private MemberMapsMetrics metrics;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder().members(1).spareSlots(0).customize(config -> {
            config.getMapConfig("expiring-*").setTimeToLiveSeconds(1);
            config.getMapConfig("bounded-*").getEvictionConfig()
                    .setEvictionPolicy(EvictionPolicy.LRU).setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(300);
        }).start();
        client = cluster.newClient();
        nearCachedClient = cluster.newClient(config -> config.addNearCacheConfig(new NearCacheConfig("cached-*")));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void bind() {
        registry = new SimpleMeterRegistry();
        metrics = new MemberMapsMetrics(cluster.member(0), List.of());
        metrics.bindTo(registry);
    }

    @Test
    void mapCreatedByClientAfterBinding_getsMeters() {
        client.getMap("created-later").put("k", "v");

        await().atMost(WAIT).untilAsserted(() -> assertThat(metrics.maps()).contains("created-later"));
        assertThat(meterNames("created-later")).contains("cache.size", "cache.entries", "cache.entry.memory",
                "cache.gets", "cache.puts", "cache.partition.gets", "cache.gets.latency", "cache.puts.latency",
                "cache.removals.latency", "lattice.map.sets.latency", "lattice.map.evicted.entries",
                "lattice.map.expired.entries", "lattice.map.events");
    }

    @Test
    void mapExistingBeforeBinding_getsMeters() {
        client.getMap("existing").put("k", "v");
        SimpleMeterRegistry later = new SimpleMeterRegistry();

        new MemberMapsMetrics(cluster.member(0), List.of()).bindTo(later);

        assertThat(later.get("cache.size").tag("map", "existing").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void operations_moveTheirMeters() {
        IMap<String, String> map = client.getMap("operations");
        await().atMost(WAIT).until(() -> metrics.maps().contains("operations"));

        map.put("a", "1");
        map.put("b", "2");
        map.set("c", "3");
        map.get("a");
        map.remove("b");

        // Micrometer counts sets as puts; only the latency timers tell them apart.
        assertThat(registry.get("cache.puts").tag("map", "operations").functionCounter().count()).isEqualTo(3.0);
        assertThat(registry.get("cache.puts.latency").tag("map", "operations").functionTimer().count()).isEqualTo(2.0);
        assertThat(registry.get("cache.gets").tag("map", "operations").tag("result", "hit").functionCounter().count())
                .isGreaterThanOrEqualTo(1.0);
        assertThat(registry.get("lattice.map.sets.latency").tag("map", "operations").functionTimer().count()).isEqualTo(1.0);
        assertThat(registry.get("cache.removals.latency").tag("map", "operations").functionTimer().count()).isEqualTo(1.0);
        assertThat(registry.get("cache.entries").tag("map", "operations").tag("ownership", "owned").gauge().value())
                .isEqualTo(2.0);
        assertThat(registry.get("cache.entry.memory").tag("map", "operations").tag("ownership", "owned").gauge().value())
                .isPositive();
    }

    @Test
    void ttlPassed_countsExpirations() {
        IMap<String, String> map = client.getMap("expiring-sessions");
        map.put("k", "v");

        await().atMost(WAIT).untilAsserted(() -> {
            map.get("k"); // an expired entry is removed, and counted, when it is touched or swept
            assertThat(registry.get("lattice.map.expired.entries").tag("map", "expiring-sessions").functionCounter().count())
                    .isEqualTo(1.0);
        });
    }

    @Test
    void sizeLimitReached_countsEvictions() {
        IMap<Integer, Integer> map = client.getMap("bounded-prices");
        for (int i = 0; i < 2_000; i++) {
            map.set(i, i);
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(
                registry.get("lattice.map.evicted.entries").tag("map", "bounded-prices").functionCounter().count()).isPositive());
        assertThat(map.size()).isLessThan(2_000);
    }

    @Test
    void updateOfANearCachedEntry_countsAnInvalidationEvent() {
        IMap<String, String> cached = nearCachedClient.getMap("cached-quotes");
        IMap<String, String> writer = client.getMap("cached-quotes");
        writer.put("k", "v1");
        cached.get("k"); // registers the near cache's invalidation listener on the member
        await().atMost(WAIT).until(() -> metrics.maps().contains("cached-quotes"));
        double before = events("cached-quotes");

        writer.put("k", "v2");

        await().atMost(WAIT).untilAsserted(() -> assertThat(events("cached-quotes")).isGreaterThan(before));
    }

    @Test
    void destroyedMap_losesItsMeters_butNotTheLoaderMeters() {
        client.getMap("short-lived").put("k", "v");
        await().atMost(WAIT).until(() -> metrics.maps().contains("short-lived"));
        Counter loaderMeter = registry.counter("lattice.mapstore.retries", "map", "short-lived");

        client.getMap("short-lived").destroy();

        await().atMost(WAIT).untilAsserted(() -> assertThat(meterNames("short-lived")).containsOnly(loaderMeter.getId().getName()));
        assertThat(metrics.maps()).doesNotContain("short-lived");
    }

    @Test
    void metersKeepReadingAfterGarbageCollection() {
        client.getMap("collected").put("k", "v");
        await().atMost(WAIT).until(() -> metrics.maps().contains("collected"));

        // Micrometer's meters hold what they read weakly; garbage collection must not turn them into NaN.
        WeakReference<Object> canary = new WeakReference<>(new Object());
        await().atMost(WAIT).until(() -> {
            System.gc();
            return canary.get() == null;
        });

        assertThat(registry.get("cache.size").tag("map", "collected").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("cache.puts").tag("map", "collected").functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("lattice.map.sets.latency").tag("map", "collected").functionTimer().count()).isZero();
    }

    @Test
    void internalMaps_areLeftOut() {
        cluster.member(0).getMap("__lattice_internal").put("k", "v");
        client.getMap("visible").put("k", "v");

        await().atMost(WAIT).until(() -> metrics.maps().contains("visible"));
        assertThat(metrics.maps()).doesNotContain("__lattice_internal");
    }

    private double events(String map) {
        return registry.get("lattice.map.events").tag("map", map).functionCounter().count();
    }

    private Set<String> meterNames(String map) {
        return Search.in(registry).tag("map", map).meters().stream()
                .map(Meter::getId).map(Meter.Id::getName).collect(Collectors.toSet());
    }
}
