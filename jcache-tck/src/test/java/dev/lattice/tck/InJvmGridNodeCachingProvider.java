package dev.lattice.tck;

import com.hazelcast.cache.HazelcastCacheManager;
import com.hazelcast.cache.impl.HazelcastServerCachingProvider;
import java.net.URI;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Properties;
import java.util.Set;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * Hazelcast's member provider on the member of the grid node running in this JVM. Hazelcast's
 * provider shuts its member down when it is closed, which would stop the node for every later
 * test; this one closes (or, for other class loaders, destroys) its managers as Hazelcast's does
 * and leaves the member running.
 */
public final class InJvmGridNodeCachingProvider implements CachingProvider {

    private final Set<CacheManager> managers = Collections.newSetFromMap(new IdentityHashMap<>());
    private HazelcastServerCachingProvider delegate = newDelegate();

    private static HazelcastServerCachingProvider newDelegate() {
        return new HazelcastServerCachingProvider(InJvmGridNode.member());
    }

    @Override
    public synchronized CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
        CacheManager manager = delegate.getCacheManager(uri, classLoader, properties);
        managers.add(manager);
        return manager;
    }

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
        return getCacheManager(uri, classLoader, null);
    }

    @Override
    public CacheManager getCacheManager() {
        return getCacheManager(null, null, null);
    }

    @Override
    public ClassLoader getDefaultClassLoader() {
        return delegate.getDefaultClassLoader();
    }

    @Override
    public URI getDefaultURI() {
        return delegate.getDefaultURI();
    }

    @Override
    public Properties getDefaultProperties() {
        return delegate.getDefaultProperties();
    }

    @Override
    public synchronized void close() {
        for (CacheManager manager : managers) {
            if (manager.getClassLoader() == getDefaultClassLoader()) {
                manager.close();
            } else {
                ((HazelcastCacheManager) manager).destroy();
            }
        }
        managers.clear();
        delegate = newDelegate();
    }

    @Override
    public synchronized void close(ClassLoader classLoader) {
        delegate.close(classLoader);
    }

    @Override
    public synchronized void close(URI uri, ClassLoader classLoader) {
        delegate.close(uri, classLoader);
    }

    @Override
    public boolean isSupported(OptionalFeature optionalFeature) {
        return delegate.isSupported(optionalFeature);
    }
}
