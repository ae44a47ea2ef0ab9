package dev.lattice.client.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.client.LatticeClient;
import dev.lattice.testsupport.LocalCluster;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JSR-107 MBeans a client registers in its own JVM. The two members run in this JVM too and
 * register member-local beans under the same names; the assertions pick what only the client's
 * beans do: sum both members, stay per client on clear, and go away when the client closes.
 */
class JCacheMBeansTest {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private static LocalCluster cluster;
    private static LatticeClient client;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder().members(2).spareSlots(0).start();
        client = connect();
    }

    private static LatticeClient connect() {
        return LatticeClient.builder().addresses(cluster.addresses()).clusterName(cluster.clusterName()).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        cluster.close();
    }

    private static String uniqueName() {
        return "cache-" + UUID.randomUUID();
    }

    private static ObjectName name(String type, CacheManager manager, String cache) throws Exception {
        return new ObjectName("javax.cache:type=" + type + ",CacheManager=" + manager.getURI() + ",Cache=" + cache);
    }

    private static Object attribute(String type, Cache<?, ?> cache, String attribute) throws Exception {
        return SERVER.getAttribute(name(type, cache.getCacheManager(), cache.getName()), attribute);
    }

    @Test
    void statisticsEnabledInTheConfiguration_registersBothBeans_summedOverAllMembers() throws Exception {
        Cache<Integer, String> cache = client.cacheManager().createCache(uniqueName(),
                new MutableConfiguration<Integer, String>().setStatisticsEnabled(true).setManagementEnabled(true));
        for (int i = 0; i < 100; i++) {
            cache.put(i, "v" + i);
        }
        for (int i = 0; i < 150; i++) {
            cache.get(i);
        }

        assertThat(SERVER.getObjectInstance(name("CacheStatistics", cache.getCacheManager(), cache.getName())).getClassName())
                .isEqualTo(ClusterCacheStatistics.class.getName());
        // Each member owns about half the keys: only a sum over both gives these numbers.
        assertThat(attribute("CacheStatistics", cache, "CachePuts")).isEqualTo(100L);
        assertThat(attribute("CacheStatistics", cache, "CacheHits")).isEqualTo(100L);
        assertThat(attribute("CacheStatistics", cache, "CacheMisses")).isEqualTo(50L);
        assertThat(attribute("CacheStatistics", cache, "CacheGets")).isEqualTo(150L);
        assertThat((Float) attribute("CacheStatistics", cache, "CacheHitPercentage")).isBetween(66.6f, 66.7f);
        assertThat((Float) attribute("CacheStatistics", cache, "AveragePutTime")).isPositive();
        assertThat(attribute("CacheConfiguration", cache, "StatisticsEnabled")).isEqualTo(true);
        assertThat(attribute("CacheConfiguration", cache, "KeyType")).isEqualTo("java.lang.Object");
    }

    @Test
    void entryProcessorHits_countedWhereTheyHappen_onTheMembers() throws Exception {
        Cache<String, Integer> cache = client.cacheManager().createCache(uniqueName(),
                new MutableConfiguration<String, Integer>().setStatisticsEnabled(true));
        cache.put("counter", 1);

        cache.invoke("counter", new Increment());
        cache.invoke("absent", new Increment());

        assertThat(attribute("CacheStatistics", cache, "CacheHits")).isEqualTo(1L);
        assertThat(attribute("CacheStatistics", cache, "CacheMisses")).isEqualTo(1L);
        assertThat(attribute("CacheStatistics", cache, "CachePuts")).isEqualTo(3L);
    }

    @Test
    void enableStatisticsAndManagement_registerAndRemoveTheBeans() throws Exception {
        CacheManager manager = client.cacheManager();
        String cacheName = uniqueName();
        manager.createCache(cacheName, new MutableConfiguration<String, String>());
        assertThat(beansOf(manager, cacheName)).isEmpty();

        manager.enableStatistics(cacheName, true);
        manager.enableManagement(cacheName, true);
        assertThat(beansOf(manager, cacheName)).hasSize(2);

        manager.enableStatistics(cacheName, false);
        assertThat(beansOf(manager, cacheName)).containsExactly(name("CacheConfiguration", manager, cacheName));
        assertThat(SERVER.getAttribute(name("CacheConfiguration", manager, cacheName), "StatisticsEnabled")).isEqualTo(false);
    }

    @Test
    void closingTheCache_removesItsBeans_andGettingItAgain_bringsThemBack() throws Exception {
        CacheManager manager = client.cacheManager();
        String cacheName = uniqueName();
        Cache<String, String> cache = manager.createCache(cacheName,
                new MutableConfiguration<String, String>().setStatisticsEnabled(true).setManagementEnabled(true));

        cache.close();
        assertThat(beansOf(manager, cacheName)).isEmpty();

        assertThat(manager.getCache(cacheName)).isSameAs(cache);
        assertThat(beansOf(manager, cacheName)).hasSize(2);
    }

    @Test
    void destroyingTheCache_removesItsBeans() throws Exception {
        CacheManager manager = client.cacheManager();
        String cacheName = uniqueName();
        manager.createCache(cacheName, new MutableConfiguration<String, String>().setStatisticsEnabled(true));

        manager.destroyCache(cacheName);

        assertThat(beansOf(manager, cacheName)).isEmpty();
    }

    @Test
    void closingTheClient_removesEveryBeanOfItsManager() throws Exception {
        LatticeClient other = connect();
        CacheManager manager = other.cacheManager();
        String cacheName = uniqueName();
        manager.createCache(cacheName, new MutableConfiguration<String, String>().setStatisticsEnabled(true).setManagementEnabled(true));
        assertThat(beansOf(manager, cacheName)).hasSize(2);

        other.close();

        assertThat(beansOf(manager, cacheName)).isEmpty();
        assertThat(cluster.member(0).getCacheManager().getCache(cacheName)).as("the cache itself stays").isNotNull();
    }

    @Test
    void clear_resetsThisJvmsView_notTheMembersCounters() throws Exception {
        Cache<String, String> cache = client.cacheManager().createCache(uniqueName(),
                new MutableConfiguration<String, String>().setStatisticsEnabled(true));
        cache.put("a", "1");
        cache.put("b", "2");
        ObjectName statistics = name("CacheStatistics", cache.getCacheManager(), cache.getName());

        SERVER.invoke(statistics, "clear", null, null);
        cache.put("c", "3");

        assertThat(SERVER.getAttribute(statistics, "CachePuts")).isEqualTo(1L);
        ClusterCacheStatistics fresh = new ClusterCacheStatistics(client.hazelcast(),
                cache.getCacheManager().unwrap(LatticeCacheManager.class).delegate().getCacheNameWithPrefix(cache.getName()));
        assertThat(fresh.getCachePuts()).as("what another application still sees").isEqualTo(3L);
    }

    @Test
    void membersResettingTheirCounters_belowTheClearedBaseline_startTheViewFromZero() {
        String cacheName = uniqueName();
        Cache<String, String> cache = client.cacheManager().createCache(cacheName,
                new MutableConfiguration<String, String>().setStatisticsEnabled(true));
        ClusterCacheStatistics view = new ClusterCacheStatistics(client.hazelcast(),
                cache.getCacheManager().unwrap(LatticeCacheManager.class).delegate().getCacheNameWithPrefix(cacheName));
        cache.put("a", "1");
        cache.put("b", "2");
        view.clear();

        // Switching statistics off and on deletes the members' counters (Hazelcast's behaviour).
        client.cacheManager().enableStatistics(cacheName, false);
        client.cacheManager().enableStatistics(cacheName, true);
        cache.put("c", "3");

        assertThat(view.getCachePuts()).isEqualTo(1L);
        assertThat(view.getCacheRemovals()).isZero();
    }

    private static Set<ObjectName> beansOf(CacheManager manager, String cacheName) throws Exception {
        return SERVER.queryNames(new ObjectName("javax.cache:CacheManager=" + manager.getURI() + ",Cache=" + cacheName + ",*"), null);
    }

    /** Adds one to an existing value and creates a missing one; runs on the member that owns the key. */
    static final class Increment implements EntryProcessor<String, Integer, Void> {
        @Override
        public Void process(javax.cache.processor.MutableEntry<String, Integer> entry, Object... arguments) {
            entry.setValue(entry.exists() ? entry.getValue() + 1 : 1);
            return null;
        }
    }
}
