package dev.lattice.client;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import com.hazelcast.nearcache.NearCacheStats;
import dev.lattice.client.jcache.LatticeCachingProvider;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.CacheManager;
import javax.cache.spi.CachingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a Lattice grid: a Hazelcast client with the near caches it was built with and a
 * JCache {@link CacheManager} bound to it.
 *
 * <pre>{@code
 * try (LatticeClient client = LatticeClient.builder()
 *         .addresses("10.0.0.1:5701", "10.0.0.2:5701")
 *         .clusterName("lattice")
 *         .nearCache("prices", NearCacheOptions.builder().timeToLive(Duration.ofMinutes(5)).build())
 *         .build()) {
 *     IMap<String, BigDecimal> prices = client.map("prices");
 *     Cache<String, String> sessions = client.cacheManager()
 *             .createCache("sessions", new MutableConfiguration<String, String>());
 * }
 * }</pre>
 *
 * <p><b>JCache and caches without configuration.</b> As the JSR-107 spec says,
 * {@code cacheManager().getCache(name)} returns {@code null} for a cache that neither a member's
 * config nor an earlier {@code createCache} defines; create it with {@code createCache} (the
 * Spring Boot starter does so for every name in {@code spring.cache.cache-names}).
 *
 * <p>To get a manager through the standard API instead, ask the provider named
 * {@link #CACHING_PROVIDER} with {@link #cachingProperties()}; note that a provider hands out one
 * manager per URI and class loader, so with several clients in one JVM only the first would be
 * used. {@link #cacheManager()} does not have that limit: each client has its own provider.
 * Use one of the two per client, not both: Hazelcast ties each cache proxy of a client to the
 * first manager that opened it, and a second manager opening the same cache fails with
 * "Cannot overwrite a Cache's CacheManager".
 *
 * <p><b>Metrics.</b> This class exposes no Micrometer types. The Spring Boot starter binds the
 * client's meters; without it, bind them with the {@code monitoring} module's
 * {@code NearCacheMetrics}, {@code ClientConnectionMetrics} and {@code ClientOperationMetrics}
 * (see {@code docs/metrics.md}).
 */
public final class LatticeClient implements AutoCloseable {

    /**
     * The JCache provider class, for {@code Caching.getCachingProvider(String)}: Hazelcast's client
     * provider plus the JSR-107 MBeans in this JVM ({@link LatticeCachingProvider}).
     */
    public static final String CACHING_PROVIDER = "dev.lattice.client.jcache.LatticeCachingProvider";

    private static final Logger LOG = LoggerFactory.getLogger(LatticeClient.class);

    private final HazelcastInstance client;
    private final Map<String, NearCacheOptions> nearCaches;
    private final CachingProvider cachingProvider;
    private final CacheManager cacheManager;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final MinorityViewGuard minorityViewGuard;

    LatticeClient(HazelcastInstance client, Map<String, NearCacheOptions> nearCaches) {
        this.client = client;
        this.minorityViewGuard = MinorityViewGuard.install(client);
        this.nearCaches = Map.copyOf(nearCaches);
        // An own provider instance, not Caching's shared one: the shared provider keeps one manager
        // per URI and class loader, which would tie every client in this JVM to the first. The
        // default URI and class loader keep cache names unprefixed, so other apps see the same caches.
        this.cachingProvider = new LatticeCachingProvider(client);
        this.cacheManager = cachingProvider.getCacheManager(cachingProvider.getDefaultURI(),
                cachingProvider.getDefaultClassLoader(), cachingProperties());
    }

    /** Starts building a client; see {@link LatticeClientBuilder} for the defaults. */
    public static LatticeClientBuilder builder() {
        return new LatticeClientBuilder();
    }

    /** The distributed map {@code name}, through this client's near cache if one is configured for it. */
    public <K, V> IMap<K, V> map(String name) {
        return client.getMap(name);
    }

    /**
     * How many times this client left a member cut off from the majority: its cluster view had
     * fewer members than the grid's minimum cluster size, so it reconnected through its configured
     * addresses (see the README's data-safety section on network partitions).
     */
    public int minorityViewReconnects() {
        return minorityViewGuard.reconnects();
    }

    /** A JCache manager bound to this client; closed with the client. */
    public CacheManager cacheManager() {
        return cacheManager;
    }

    /**
     * Properties that make {@code Caching.getCachingProvider(CACHING_PROVIDER).getCacheManager(uri,
     * classLoader, properties)} reuse this client rather than start a new one.
     */
    public Properties cachingProperties() {
        return HazelcastCachingProvider.propertiesByInstanceName(client.getName());
    }

    /**
     * The live statistics of this client's near cache for {@code mapName}: hits, misses,
     * evictions, expirations, invalidations, entries held.
     *
     * @throws IllegalArgumentException when no near cache is configured for the map
     */
    public NearCacheStats nearCacheStats(String mapName) {
        Objects.requireNonNull(mapName, "mapName");
        LocalMapStats stats = client.getMap(mapName).getLocalMapStats();
        NearCacheStats nearCacheStats = stats == null ? null : stats.getNearCacheStats();
        if (nearCacheStats == null) {
            throw new IllegalArgumentException("map '" + mapName + "' has no near cache on this client: configure one "
                    + "with LatticeClient.builder().nearCache(...) or lattice.client.near-cache." + mapName);
        }
        return nearCacheStats;
    }

    /** The near caches this client was built with, by map name or pattern. */
    public Map<String, NearCacheOptions> nearCaches() {
        return nearCaches;
    }

    /** The underlying Hazelcast client, for everything this class does not wrap. */
    public HazelcastInstance hazelcast() {
        return client;
    }

    /** Closes the cache manager, then shuts the client down. Calling it again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            cachingProvider.close();
        } catch (RuntimeException e) {
            // The client must still go down; a cache that failed to close is only worth a warning.
            LOG.warn("closing the JCache manager of client {} failed", client.getName(), e);
        } finally {
            client.shutdown();
        }
    }

    @Override
    public String toString() {
        return "LatticeClient{" + client.getName() + ", nearCaches=" + nearCaches.keySet() + '}';
    }
}
