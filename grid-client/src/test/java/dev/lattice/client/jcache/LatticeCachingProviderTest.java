package dev.lattice.client.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hazelcast.cache.HazelcastCacheManager;
import com.hazelcast.core.HazelcastInstance;
import dev.lattice.testsupport.LocalCluster;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The provider as {@code Caching} makes it: its default client comes from the lattice.client.* system properties. */
class LatticeCachingProviderTest {

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder().members(1).spareSlots(0).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty(LatticeCachingProvider.ADDRESSES_PROPERTY);
        System.clearProperty(LatticeCachingProvider.CLUSTER_NAME_PROPERTY);
    }

    @Test
    void defaultManager_connectsWhereTheSystemPropertiesSay_andCloseShutsItsClientDown() {
        System.setProperty(LatticeCachingProvider.ADDRESSES_PROPERTY, String.join(", ", cluster.addresses()));
        System.setProperty(LatticeCachingProvider.CLUSTER_NAME_PROPERTY, cluster.clusterName());
        LatticeCachingProvider provider = new LatticeCachingProvider();

        CacheManager manager = provider.getCacheManager();
        Cache<String, String> cache = manager.createCache("from-system-properties", new MutableConfiguration<>());
        cache.put("k", "v");

        assertThat(cluster.member(0).getCacheManager().<String, String>getCache("from-system-properties").get("k")).isEqualTo("v");
        assertThat(provider.getCacheManager()).isSameAs(manager);
        assertThat(cache.getCacheManager()).isSameAs(manager);
        HazelcastInstance client = manager.unwrap(HazelcastCacheManager.class).getHazelcastInstance();

        provider.close();

        assertThat(manager.isClosed()).isTrue();
        assertThat(client.getLifecycleService().isRunning()).isFalse();
    }

    @Test
    void invalidAddressProperty_failsNamingTheProperty() {
        System.setProperty(LatticeCachingProvider.ADDRESSES_PROPERTY, "10.0.0.1");

        Throwable failure = catchThrowable(() -> new LatticeCachingProvider().getCacheManager());

        assertThat(failure).isInstanceOf(CacheException.class)
                .hasMessageContaining("lattice.client.addresses='10.0.0.1'")
                .hasMessageContaining("address must be host:port");
    }
}
