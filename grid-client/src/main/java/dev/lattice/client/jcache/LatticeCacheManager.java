package dev.lattice.client.jcache;

import com.hazelcast.cache.HazelcastCacheManager;
import com.hazelcast.cache.ICache;
import com.hazelcast.core.HazelcastInstance;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;

/**
 * A JCache manager of the grid: Hazelcast's client cache manager, plus the JSR-107 MBeans in
 * this JVM. {@code enableStatistics} and {@code enableManagement} switch the statistics on the
 * members (where the counting happens) and register or remove the matching MBean here; closing
 * or destroying a cache, or closing this manager, removes them.
 */
public final class LatticeCacheManager implements CacheManager {

    private final LatticeCachingProvider provider;
    private final HazelcastCacheManager delegate;
    private final ConcurrentMap<String, LatticeCache<?, ?>> caches = new ConcurrentHashMap<>();

    LatticeCacheManager(LatticeCachingProvider provider, HazelcastCacheManager delegate) {
        this.provider = provider;
        this.delegate = delegate;
    }

    HazelcastCacheManager delegate() {
        return delegate;
    }

    HazelcastInstance hazelcast() {
        return delegate.getHazelcastInstance();
    }

    @Override
    public LatticeCachingProvider getCachingProvider() {
        return provider;
    }

    @Override
    public URI getURI() {
        return delegate.getURI();
    }

    @Override
    public ClassLoader getClassLoader() {
        return delegate.getClassLoader();
    }

    @Override
    public Properties getProperties() {
        return delegate.getProperties();
    }

    @Override
    public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
        return track(cacheName, (ICache<K, V>) delegate.createCache(cacheName, configuration));
    }

    @Override
    public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
        return track(cacheName, (ICache<K, V>) delegate.getCache(cacheName, keyType, valueType));
    }

    @Override
    public <K, V> Cache<K, V> getCache(String cacheName) {
        return track(cacheName, (ICache<K, V>) delegate.<K, V>getCache(cacheName));
    }

    /** One wrapper per Hazelcast proxy, so {@code getCache} keeps returning the same instance. */
    @SuppressWarnings("unchecked")
    private <K, V> LatticeCache<K, V> track(String cacheName, ICache<K, V> cache) {
        if (cache == null) {
            LatticeCache<?, ?> stale = caches.remove(cacheName);
            if (stale != null) {
                stale.withdraw();
            }
            return null;
        }
        LatticeCache<?, ?> tracked = caches.compute(cacheName, (name, existing) -> {
            if (existing != null && existing.delegate() == cache) {
                return existing;
            }
            if (existing != null) {
                existing.withdraw();
            }
            return new LatticeCache<>(this, cache, delegate.getCacheNameWithPrefix(name));
        });
        tracked.publish();
        return (LatticeCache<K, V>) tracked;
    }

    @Override
    public Iterable<String> getCacheNames() {
        return delegate.getCacheNames();
    }

    @Override
    public void destroyCache(String cacheName) {
        delegate.destroyCache(cacheName);
        LatticeCache<?, ?> destroyed = caches.remove(cacheName);
        if (destroyed != null) {
            destroyed.withdraw();
        }
    }

    @Override
    public void enableManagement(String cacheName, boolean enabled) {
        delegate.enableManagement(cacheName, enabled);
        LatticeCache<?, ?> cache = cacheFor(cacheName);
        if (cache != null) {
            cache.enableManagement(enabled);
        }
    }

    @Override
    public void enableStatistics(String cacheName, boolean enabled) {
        delegate.enableStatistics(cacheName, enabled);
        LatticeCache<?, ?> cache = cacheFor(cacheName);
        if (cache != null) {
            cache.enableStatistics(enabled);
        }
    }

    /** The cache this manager opened, or the cluster's cache of that name if another client made it. */
    private LatticeCache<?, ?> cacheFor(String cacheName) {
        LatticeCache<?, ?> cache = caches.get(cacheName);
        return cache != null ? cache : (LatticeCache<?, ?>) getCache(cacheName);
    }

    /** Closes every cache of this manager for this application and removes their MBeans. */
    @Override
    public void close() {
        withdrawAll();
        delegate.close();
    }

    /** Removes the MBeans of every cache; the provider calls it before closing Hazelcast's managers. */
    void withdrawAll() {
        caches.values().forEach(LatticeCache::withdraw);
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        if (clazz.isInstance(delegate)) {
            return clazz.cast(delegate);
        }
        throw new IllegalArgumentException("a Lattice cache manager cannot be unwrapped to " + clazz.getName()
                + "; it is a " + getClass().getName() + " over a " + delegate.getClass().getName());
    }

    @Override
    public String toString() {
        return "LatticeCacheManager{" + getURI() + ", " + delegate.getHazelcastInstance().getName() + '}';
    }
}
