package dev.lattice.client.jcache;

import com.hazelcast.cache.ICache;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import javax.management.ObjectName;

/**
 * A JCache cache of the grid, as seen by one {@link LatticeCacheManager}: every operation is
 * Hazelcast's client cache; this class adds the JSR-107 MBeans of the application's JVM.
 * {@code unwrap(ICache.class)} gives the Hazelcast cache for its asynchronous and per-call
 * expiry operations.
 */
public final class LatticeCache<K, V> implements Cache<K, V> {

    private final LatticeCacheManager manager;
    private final ICache<K, V> delegate;
    private final String nameWithPrefix;
    private final ObjectName statisticsName;
    private final ObjectName configurationName;

    // Guarded by this: what the application switched on, and what is registered right now.
    private boolean statisticsEnabled;
    private boolean managementEnabled;
    private boolean statisticsRegistered;
    private boolean configurationRegistered;

    LatticeCache(LatticeCacheManager manager, ICache<K, V> delegate, String nameWithPrefix) {
        this.manager = manager;
        this.delegate = delegate;
        this.nameWithPrefix = nameWithPrefix;
        String uri = manager.getURI().toString();
        this.statisticsName = CacheMBeans.name(CacheMBeans.Type.CacheStatistics, uri, delegate.getName());
        this.configurationName = CacheMBeans.name(CacheMBeans.Type.CacheConfiguration, uri, delegate.getName());
        CompleteConfiguration<?, ?> configuration = delegate.getConfiguration(CompleteConfiguration.class);
        this.statisticsEnabled = configuration.isStatisticsEnabled();
        this.managementEnabled = configuration.isManagementEnabled();
    }

    ICache<K, V> delegate() {
        return delegate;
    }

    synchronized boolean statisticsEnabled() {
        return statisticsEnabled;
    }

    synchronized boolean managementEnabled() {
        return managementEnabled;
    }

    synchronized void enableStatistics(boolean enabled) {
        statisticsEnabled = enabled;
        publish();
    }

    synchronized void enableManagement(boolean enabled) {
        managementEnabled = enabled;
        publish();
    }

    /** Makes the registered MBeans match the switches: none while the cache is closed. */
    synchronized void publish() {
        boolean open = !delegate.isClosed();
        if (statisticsEnabled && open && !statisticsRegistered) {
            CacheMBeans.register(new ClusterCacheStatistics(manager.hazelcast(), nameWithPrefix), statisticsName);
            statisticsRegistered = true;
        } else if ((!statisticsEnabled || !open) && statisticsRegistered) {
            CacheMBeans.unregister(statisticsName);
            statisticsRegistered = false;
        }
        if (managementEnabled && open && !configurationRegistered) {
            CacheMBeans.register(new CacheConfigurationBean(this), configurationName);
            configurationRegistered = true;
        } else if ((!managementEnabled || !open) && configurationRegistered) {
            CacheMBeans.unregister(configurationName);
            configurationRegistered = false;
        }
    }

    /** Removes this cache's MBeans: it was closed or destroyed, or its manager was. */
    synchronized void withdraw() {
        if (statisticsRegistered) {
            CacheMBeans.unregister(statisticsName);
            statisticsRegistered = false;
        }
        if (configurationRegistered) {
            CacheMBeans.unregister(configurationName);
            configurationRegistered = false;
        }
    }

    @Override
    public V get(K key) {
        return delegate.get(key);
    }

    @Override
    public Map<K, V> getAll(Set<? extends K> keys) {
        return delegate.getAll(keys);
    }

    @Override
    public boolean containsKey(K key) {
        return delegate.containsKey(key);
    }

    @Override
    public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener completionListener) {
        delegate.loadAll(keys, replaceExistingValues, completionListener);
    }

    @Override
    public void put(K key, V value) {
        delegate.put(key, value);
    }

    @Override
    public V getAndPut(K key, V value) {
        return delegate.getAndPut(key, value);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        delegate.putAll(map);
    }

    @Override
    public boolean putIfAbsent(K key, V value) {
        return delegate.putIfAbsent(key, value);
    }

    @Override
    public boolean remove(K key) {
        return delegate.remove(key);
    }

    @Override
    public boolean remove(K key, V oldValue) {
        return delegate.remove(key, oldValue);
    }

    @Override
    public V getAndRemove(K key) {
        return delegate.getAndRemove(key);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return delegate.replace(key, oldValue, newValue);
    }

    @Override
    public boolean replace(K key, V value) {
        return delegate.replace(key, value);
    }

    @Override
    public V getAndReplace(K key, V value) {
        return delegate.getAndReplace(key, value);
    }

    @Override
    public void removeAll(Set<? extends K> keys) {
        delegate.removeAll(keys);
    }

    @Override
    public void removeAll() {
        delegate.removeAll();
    }

    @Override
    public void clear() {
        delegate.clear();
    }

    @Override
    public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
        return delegate.getConfiguration(clazz);
    }

    @Override
    public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) throws EntryProcessorException {
        return delegate.invoke(key, entryProcessor, arguments);
    }

    @Override
    public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> entryProcessor,
                                                         Object... arguments) {
        return delegate.invokeAll(keys, entryProcessor, arguments);
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public LatticeCacheManager getCacheManager() {
        return manager;
    }

    /** Closes the cache for this application and removes its MBeans; the data stays in the grid. */
    @Override
    public void close() {
        withdraw();
        delegate.close();
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
        return delegate.unwrap(clazz);
    }

    @Override
    public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> configuration) {
        delegate.registerCacheEntryListener(configuration);
    }

    @Override
    public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> configuration) {
        delegate.deregisterCacheEntryListener(configuration);
    }

    @Override
    public Iterator<Entry<K, V>> iterator() {
        return delegate.iterator();
    }

    @Override
    public String toString() {
        return "LatticeCache{" + nameWithPrefix + '}';
    }
}
