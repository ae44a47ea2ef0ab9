package dev.lattice.client.jcache;

import com.hazelcast.cache.impl.ICacheService;
import com.hazelcast.config.CacheConfig;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.services.NodeAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * Runs on a member and returns its JSR-107 counters for one cache: the same numbers the member's
 * own {@code CacheStatisticsMXBean} shows, for the partitions that member owns.
 *
 * <p>There is no public API for a member's cache statistics (a member-side {@code ICache} gives
 * averages, not the totals a sum needs), so this reads Hazelcast's cache service; Lattice pins
 * Hazelcast 5.7.0. Grid nodes carry this class because grid-server depends on grid-client.
 */
public final class MemberCacheStatisticsTask implements Callable<CacheStatisticsSnapshot>, DataSerializable, NodeAware {

    private String cacheNameWithPrefix;
    private transient Node node;

    /** For Hazelcast's deserialization. */
    public MemberCacheStatisticsTask() {
    }

    MemberCacheStatisticsTask(String cacheNameWithPrefix) {
        this.cacheNameWithPrefix = cacheNameWithPrefix;
    }

    @Override
    public void setNode(Node node) {
        this.node = node;
    }

    @Override
    public CacheStatisticsSnapshot call() {
        ICacheService caches = node.getNodeEngine().getService(ICacheService.SERVICE_NAME);
        CacheConfig<?, ?> config = caches.getCacheConfig(cacheNameWithPrefix);
        if (config == null || !config.isStatisticsEnabled()) {
            // Asking must not create statistics that nothing would ever delete.
            return CacheStatisticsSnapshot.ZERO;
        }
        return CacheStatisticsSnapshot.of(caches.createCacheStatIfAbsent(cacheNameWithPrefix));
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(cacheNameWithPrefix);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        cacheNameWithPrefix = in.readString();
    }
}
