package dev.lattice.client.jcache;

import com.hazelcast.cache.HazelcastCacheManager;
import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.lattice.client.LatticeClient;
import dev.lattice.client.LatticeClientBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The JSR-107 provider for applications of a Lattice grid: Hazelcast's client provider, whose
 * managers and caches also register the standard MBeans in this JVM (see {@link LatticeCacheManager}).
 *
 * <p>Which client a manager uses: the one named by the properties
 * ({@code HazelcastCachingProvider.propertiesByInstanceName}, as {@link LatticeClient#cachingProperties()}
 * gives), else the provider's default client. A provider made by {@link LatticeClient} defaults to
 * that client and never shuts it down. A provider made by {@code Caching.getCachingProvider(...)}
 * starts its default client on first use with {@link LatticeClient#builder()}'s defaults, overridden
 * by the system properties {@value #ADDRESSES_PROPERTY} (comma-separated {@code host:port}) and
 * {@value #CLUSTER_NAME_PROPERTY}, and shuts it down on {@link #close()}. A URI only scopes cache
 * names, as in Hazelcast; it does not select a client.
 *
 * <p>Not registered as a {@code java.util.ServiceLoader} provider: Hazelcast's jar registers its
 * own, and two would make {@code Caching.getCachingProvider()} without a class name fail. Name
 * this class ({@link LatticeClient#CACHING_PROVIDER}) or set {@code javax.cache.spi.CachingProvider}.
 */
public final class LatticeCachingProvider implements CachingProvider {

    /** System property: members the default client connects to. */
    public static final String ADDRESSES_PROPERTY = "lattice.client.addresses";

    /** System property: cluster name of the default client. */
    public static final String CLUSTER_NAME_PROPERTY = "lattice.client.cluster-name";

    private final CachingProvider delegate = new com.hazelcast.client.cache.impl.HazelcastClientCachingProvider();
    private final HazelcastInstance boundClient;
    private final Map<CacheManager, LatticeCacheManager> managers = new IdentityHashMap<>();
    private HazelcastInstance ownClient;

    /** The provider {@code Caching} instantiates: its default client is its own, started on first use. */
    public LatticeCachingProvider() {
        this(null);
    }

    /** A provider whose default client is {@code client}, which stays running when the provider closes. */
    public LatticeCachingProvider(HazelcastInstance client) {
        this.boundClient = client;
    }

    @Override
    public LatticeCacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
        synchronized (managers) {
            managers.keySet().removeIf(CacheManager::isClosed);
            CacheManager manager = delegate.getCacheManager(uri, classLoader, withClient(properties));
            return managers.computeIfAbsent(manager, created -> new LatticeCacheManager(this, (HazelcastCacheManager) created));
        }
    }

    @Override
    public LatticeCacheManager getCacheManager(URI uri, ClassLoader classLoader) {
        return getCacheManager(uri, classLoader, null);
    }

    @Override
    public LatticeCacheManager getCacheManager() {
        return getCacheManager(null, null, null);
    }

    /** The caller's properties, plus the default client unless they already name one. */
    private Properties withClient(Properties properties) {
        if (properties != null && (properties.containsKey(HazelcastCachingProvider.HAZELCAST_INSTANCE_ITSELF)
                || properties.containsKey(HazelcastCachingProvider.HAZELCAST_INSTANCE_NAME)
                || properties.containsKey(HazelcastCachingProvider.HAZELCAST_CONFIG_LOCATION))) {
            return properties;
        }
        Properties withClient = new Properties();
        if (properties != null) {
            withClient.putAll(properties);
        }
        withClient.put(HazelcastCachingProvider.HAZELCAST_INSTANCE_ITSELF, defaultClient());
        return withClient;
    }

    private HazelcastInstance defaultClient() {
        if (boundClient != null) {
            return boundClient;
        }
        if (ownClient == null || !ownClient.getLifecycleService().isRunning()) {
            ownClient = HazelcastClient.newHazelcastClient(defaultClientConfig());
        }
        return ownClient;
    }

    private static ClientConfig defaultClientConfig() {
        LatticeClientBuilder builder = LatticeClient.builder();
        String addresses = System.getProperty(ADDRESSES_PROPERTY);
        String clusterName = System.getProperty(CLUSTER_NAME_PROPERTY);
        try {
            if (addresses != null) {
                builder.addresses(List.of(addresses.trim().split("\\s*,\\s*")));
            }
            if (clusterName != null) {
                builder.clusterName(clusterName);
            }
        } catch (IllegalArgumentException e) {
            throw new CacheException("invalid system property " + (addresses != null ? ADDRESSES_PROPERTY + "='" + addresses
                    + "' or " : "") + CLUSTER_NAME_PROPERTY + "='" + clusterName + "': " + e.getMessage(), e);
        }
        return builder.toClientConfig();
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

    /**
     * Closes every manager (those of other class loaders are destroyed, as in Hazelcast) and
     * removes their MBeans, then shuts down the default client if this provider started it.
     * The provider can be used again afterwards.
     */
    @Override
    public void close() {
        synchronized (managers) {
            managers.values().forEach(LatticeCacheManager::withdrawAll);
            managers.clear();
            try {
                delegate.close();
            } finally {
                if (ownClient != null) {
                    ownClient.shutdown();
                    ownClient = null;
                }
            }
        }
    }

    @Override
    public void close(ClassLoader classLoader) {
        ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
        closeWhere(manager -> manager.getClassLoader() == loader);
        delegate.close(classLoader);
    }

    @Override
    public void close(URI uri, ClassLoader classLoader) {
        ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
        URI managerUri = uri == null ? getDefaultURI() : uri;
        closeWhere(manager -> manager.getClassLoader() == loader && manager.getURI().equals(managerUri));
        delegate.close(uri, classLoader);
    }

    private void closeWhere(java.util.function.Predicate<LatticeCacheManager> which) {
        synchronized (managers) {
            List<LatticeCacheManager> closing = new ArrayList<>();
            managers.values().removeIf(manager -> which.test(manager) && closing.add(manager));
            closing.forEach(LatticeCacheManager::withdrawAll);
        }
    }

    @Override
    public boolean isSupported(OptionalFeature optionalFeature) {
        return delegate.isSupported(optionalFeature);
    }

    @Override
    public String toString() {
        return "LatticeCachingProvider{" + (boundClient != null ? boundClient.getName() : "default client") + '}';
    }
}
