package dev.lattice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cache.HazelcastCacheManager;
import dev.lattice.testsupport.LocalCluster;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JCache through Lattice's client, both ways an application can get a manager. */
class LatticeClientJCacheTest {

    private static LocalCluster cluster;
    private static LatticeClient client;
    private static LatticeClient secondClient;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder().members(1).spareSlots(0).start();
        client = connect();
        secondClient = connect();
    }

    private static LatticeClient connect() {
        return LatticeClient.builder().addresses(cluster.addresses()).clusterName(cluster.clusterName()).build();
    }

    @AfterAll
    static void stop() {
        secondClient.close();
        client.close();
        cluster.close();
    }

    @Test
    void cacheManager_putGetRemove() {
        Cache<String, String> sessions = client.cacheManager()
                .createCache("sessions", new MutableConfiguration<String, String>().setTypes(String.class, String.class));

        sessions.put("s1", "alice");
        assertThat(sessions.get("s1")).isEqualTo("alice");
        assertThat(sessions.remove("s1")).isTrue();
        assertThat(sessions.get("s1")).isNull();
    }

    @Test
    void cacheManager_isBoundToThisClient_evenWithTwoClientsInOneJvm() {
        assertThat(instanceOf(client.cacheManager()))
                .isSameAs(client.hazelcast());
        assertThat(instanceOf(secondClient.cacheManager()))
                .isSameAs(secondClient.hazelcast());
    }

    @Test
    void cacheCreatedThroughOneClient_isSeenByAnother() {
        client.cacheManager().createCache("shared", new MutableConfiguration<String, String>()).put("k", "v");

        Cache<String, String> seen = secondClient.cacheManager().getCache("shared");

        assertThat(seen).isNotNull();
        assertThat(seen.get("k")).isEqualTo("v");
    }

    @Test
    void getCache_withoutConfiguration_returnsNull() {
        assertThat(client.cacheManager().getCache("never-configured")).isNull();
    }

    @Test
    void createdExpiryPolicy_expiresEntry() {
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .setExpiryPolicyFactory(FactoryBuilder.factoryOf(
                        new CreatedExpiryPolicy(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 500))));
        Cache<String, String> tokens = client.cacheManager().createCache("tokens", config);

        tokens.put("t1", "secret");
        assertThat(tokens.get("t1")).isEqualTo("secret");

        await().atMost(Duration.ofSeconds(10)).until(() -> tokens.get("t1") == null);
    }

    @Test
    void cachingProvider_withCachingProperties_reusesClient() {
        CachingProvider provider = Caching.getCachingProvider(LatticeClient.CACHING_PROVIDER);
        CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), provider.getDefaultClassLoader(),
                client.cachingProperties());
        try {
            assertThat(instanceOf(manager)).isSameAs(client.hazelcast());
            Cache<String, Integer> counts = manager.createCache("counts", new MutableConfiguration<>());
            counts.put("a", 1);
            assertThat(counts.get("a")).isEqualTo(1);
            counts.remove("a");
            assertThat(counts.containsKey("a")).isFalse();
            // Same cluster, same unprefixed name: another client's manager sees the cache too.
            assertThat(secondClient.cacheManager().getCache("counts")).isNotNull();
        } finally {
            // The shared provider keeps one manager per URI and class loader: close it so later tests start clean.
            manager.close();
        }
    }

    private static Object instanceOf(CacheManager manager) {
        return manager.unwrap(HazelcastCacheManager.class).getHazelcastInstance();
    }
}
