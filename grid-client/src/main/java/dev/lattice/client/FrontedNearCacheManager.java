package dev.lattice.client;

import com.hazelcast.client.impl.clientside.HazelcastClientInstanceImpl;
import com.hazelcast.client.impl.clientside.HazelcastClientProxy;
import com.hazelcast.client.impl.spi.ClientContext;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.nearcache.NearCache;
import com.hazelcast.internal.nearcache.NearCacheManager;
import com.hazelcast.internal.nearcache.impl.DefaultNearCache;
import com.hazelcast.internal.nearcache.impl.DefaultNearCacheManager;
import com.hazelcast.map.impl.MapService;
import java.util.Set;

/**
 * The client's near-cache manager for maps, Hazelcast's own with one change: the near caches of
 * the configs named in {@code fronted} come wrapped in a {@link FrontedNearCache}.
 *
 * <p>Why a manager and not a wrapper around one proxy's near cache: the map proxy, the repairing
 * handler that applies the cluster's invalidations, and the client's "clear every near cache" on
 * reconnecting to a new cluster all get their near cache from this manager, so every invalidation
 * passes through the front. Installed right after the client starts and before any map proxy
 * exists; the client creates its map near-cache manager lazily, on the first near-cached proxy.
 */
final class FrontedNearCacheManager extends DefaultNearCacheManager {

    private final Set<String> fronted;

    private FrontedNearCacheManager(HazelcastClientInstanceImpl client, Set<String> fronted) {
        super(client.getSerializationService(), client.getTaskScheduler(), client.getClientConfig().getClassLoader(),
                client.getProperties());
        this.fronted = Set.copyOf(fronted);
    }

    /**
     * Makes {@code instance} front the near caches of the configs named in {@code fronted} (map
     * names or patterns, as configured).
     *
     * @throws IllegalStateException when the client already made its map near-cache manager
     */
    static void install(HazelcastInstance instance, Set<String> fronted) {
        if (fronted.isEmpty()) {
            return;
        }
        HazelcastClientInstanceImpl client = ((HazelcastClientProxy) instance).client;
        ClientContext context = client.getProxyManager().getContext();
        NearCacheManager existing = context.getNearCacheManagers()
                .putIfAbsent(MapService.SERVICE_NAME, new FrontedNearCacheManager(client, fronted));
        if (existing != null) {
            throw new IllegalStateException("near-cache fronts for " + fronted + " can not be installed: client "
                    + instance.getName() + " already made its map near-cache manager (" + existing.getClass().getName()
                    + ")");
        }
        FrontedMapProxy.installFactory(client, Set.copyOf(fronted));
    }

    @Override
    protected <K, V> NearCache<K, V> createNearCache(String name, NearCacheConfig config) {
        NearCache<K, V> nearCache = super.createNearCache(name, config);
        if (!fronted.contains(config.getName())) {
            return nearCache;
        }
        checkFrontable(config);
        return new FrontedNearCache<>((DefaultNearCache<K, V>) nearCache, getSerializationService());
    }

    /**
     * Fails when a front over {@code config} would be wrong. NearCacheOptions refuses these
     * combinations; a customizer can still make them, and {@code LatticeClientBuilder.build()}
     * checks before the client starts.
     *
     * @throws IllegalStateException naming the near cache and what is wrong with it
     */
    static void checkFrontable(NearCacheConfig config) {
        if (config.getInMemoryFormat() == InMemoryFormat.NATIVE || config.getTimeToLiveSeconds() != 0
                || config.getMaxIdleSeconds() != 0 || !config.isInvalidateOnChange()) {
            throw new IllegalStateException("near cache " + config.getName() + " has front=true but can not have a "
                    + "front: it needs BINARY or OBJECT format, invalidate-on-change and no time-to-live or max-idle, "
                    + "and has in-memory-format=" + config.getInMemoryFormat() + ", time-to-live="
                    + config.getTimeToLiveSeconds() + " s, max-idle=" + config.getMaxIdleSeconds()
                    + " s, invalidate-on-change=" + config.isInvalidateOnChange() + " (changed by a customizer?)");
        }
    }
}
