package dev.lattice.client.jcache;

import javax.cache.configuration.CompleteConfiguration;
import javax.cache.management.CacheMXBean;

/** A cache's configuration as the JSR-107 {@link CacheMXBean}; the two switches are this JVM's current ones. */
final class CacheConfigurationBean implements CacheMXBean {

    private final LatticeCache<?, ?> cache;

    CacheConfigurationBean(LatticeCache<?, ?> cache) {
        this.cache = cache;
    }

    private CompleteConfiguration<?, ?> configuration() {
        return cache.getConfiguration(CompleteConfiguration.class);
    }

    @Override
    public String getKeyType() {
        return configuration().getKeyType().getName();
    }

    @Override
    public String getValueType() {
        return configuration().getValueType().getName();
    }

    @Override
    public boolean isReadThrough() {
        return configuration().isReadThrough();
    }

    @Override
    public boolean isWriteThrough() {
        return configuration().isWriteThrough();
    }

    @Override
    public boolean isStoreByValue() {
        return configuration().isStoreByValue();
    }

    @Override
    public boolean isStatisticsEnabled() {
        return cache.statisticsEnabled();
    }

    @Override
    public boolean isManagementEnabled() {
        return cache.managementEnabled();
    }
}
