package dev.lattice.monitoring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NearCacheMetricsTest {

    private static LocalCluster cluster;
    private static HazelcastInstance nearCachedClient;
    private static HazelcastInstance writer;

    private SimpleMeterRegistry registry;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.builder().members(1).spareSlots(0).start();
        nearCachedClient = cluster.newClient(NearCacheMetricsTest::nearCaches);
        writer = cluster.newClient();
    }

    private static void nearCaches(ClientConfig config) {
        config.addNearCacheConfig(new NearCacheConfig("binary-*").setInMemoryFormat(InMemoryFormat.BINARY));
        config.addNearCacheConfig(new NearCacheConfig("object-*").setInMemoryFormat(InMemoryFormat.OBJECT));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void newRegistry() {
        registry = new SimpleMeterRegistry();
    }

    @Test
    void reads_moveHitAndMissCounters() {
        IMap<String, String> map = NearCacheMetrics.monitor(registry, nearCachedClient.getMap("binary-reads"),
                InMemoryFormat.BINARY);
        writer.getMap("binary-reads").put("k", "v");

        map.get("k");
        assertThat(count("gets", "miss")).isEqualTo(1.0);
        assertThat(count("gets", "hit")).isZero();
        // The client keeps a read only once its invalidation metadata has arrived, so the first
        // reads may all miss: wait until the entry is held before counting hits.
        awaitHeld(map, "k");
        double misses = count("gets", "miss");
        double hits = count("gets", "hit");

        map.get("k");
        map.get("k");

        assertThat(count("gets", "hit")).isEqualTo(hits + 2);
        assertThat(count("gets", "miss")).isEqualTo(misses);
        assertThat(gauge("entries")).isEqualTo(1.0);
        assertThat(gauge("memory")).isPositive();
    }

    @Test
    void updateFromAnotherClient_movesInvalidationCounters() {
        IMap<String, String> map = NearCacheMetrics.monitor(registry, nearCachedClient.getMap("binary-invalidated"),
                InMemoryFormat.BINARY);
        IMap<String, String> other = writer.getMap("binary-invalidated");
        other.put("k", "v1");
        awaitHeld(map, "k");

        other.put("k", "v2");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(registry.get("lattice.client.near.cache.invalidations").functionCounter().count()).isEqualTo(1.0);
            assertThat(gauge("entries")).isZero();
        });
        assertThat(registry.get("lattice.client.near.cache.invalidation.requests").functionCounter().count())
                .isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void everyMeter_hasDescriptionBaseUnitAndMapTag() {
        NearCacheMetrics.monitor(registry, nearCachedClient.getMap("binary-described"), InMemoryFormat.BINARY,
                "app", "orders-service");

        assertThat(registry.getMeters()).hasSize(8).allSatisfy(meter -> {
            Meter.Id id = meter.getId();
            assertThat(id.getDescription()).as(id.getName()).isNotBlank();
            assertThat(id.getBaseUnit()).as(id.getName()).isNotBlank();
            assertThat(id.getTag("map")).isEqualTo("binary-described");
            assertThat(id.getTag("app")).isEqualTo("orders-service");
        });
    }

    @Test
    void objectFormat_registersNoMemoryGauge() {
        NearCacheMetrics.monitor(registry, nearCachedClient.getMap("object-map"), InMemoryFormat.OBJECT);

        assertThat(registry.find("lattice.client.near.cache.memory").meter()).isNull();
        assertThat(registry.find("lattice.client.near.cache.entries").gauge()).isNotNull();
    }

    @Test
    void mapWithoutNearCache_failsNamingTheMap() {
        IMap<Object, Object> plain = writer.getMap("plain");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> NearCacheMetrics.monitor(registry, plain, InMemoryFormat.BINARY))
                .withMessageContaining("map 'plain' has no near cache");
    }

    private void awaitHeld(IMap<String, String> map, String key) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            map.get(key);
            assertThat(gauge("entries")).isEqualTo(1.0);
        });
    }

    private double count(String name, String result) {
        return registry.get("lattice.client.near.cache." + name).tag("result", result).functionCounter().count();
    }

    private double gauge(String name) {
        return registry.get("lattice.client.near.cache." + name).gauge().value();
    }
}
