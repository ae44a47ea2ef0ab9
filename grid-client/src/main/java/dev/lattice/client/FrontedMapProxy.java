package dev.lattice.client;

import com.hazelcast.client.impl.clientside.HazelcastClientInstanceImpl;
import com.hazelcast.client.impl.spi.ClientContext;
import com.hazelcast.client.impl.spi.ClientProxyFactory;
import com.hazelcast.client.impl.spi.ProxyManager;
import com.hazelcast.client.map.impl.nearcache.NearCachedClientMapProxy;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.internal.config.ConfigValidator;
import com.hazelcast.internal.nearcache.NearCache;
import com.hazelcast.map.impl.MapService;
import java.lang.reflect.Field;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * Hazelcast's near-cached map proxy with one change: {@code get} asks the front first and returns
 * its answer as it is. Hazelcast's {@code get} passes a near-cache hit through
 * {@code toObject} twice, and each asks whether the value is serialized data ({@code instanceof}
 * an interface the value does not implement); on Java 17 to 22 that check scans the value class's
 * interfaces. The front's answer is already deserialized, so neither is needed: a front hit on Java
 * 17 went from 41-46 ns to 22-28 ns (docs/benchmarks.md, near-cache front). Everything else, a miss
 * included, is Hazelcast's.
 *
 * <p>{@link #front} is set while Hazelcast initializes the proxy, before its proxy manager hands
 * the proxy to any caller, so a plain field is enough.
 */
final class FrontedMapProxy<K, V> extends NearCachedClientMapProxy<K, V> {

    /** The front, or null when keys are serialized (the front is then keyed by data, as Hazelcast's store is). */
    private FrontedNearCache<Object, Object> front;

    FrontedMapProxy(String serviceName, String name, ClientContext context) {
        super(serviceName, name, context);
    }

    /**
     * Makes {@code client} create this proxy for the maps whose near-cache config is named in
     * {@code fronted}, and Hazelcast's own for every other map. Hazelcast registers its map proxy
     * factory when the client is built and refuses a second one for the same service, so the
     * registration is replaced in place; this runs before any map proxy exists (see
     * {@link FrontedNearCacheManager#install}).
     */
    @SuppressWarnings("unchecked")
    static void installFactory(HazelcastClientInstanceImpl client, Set<String> fronted) {
        ProxyManager proxies = client.getProxyManager();
        ClientProxyFactory hazelcasts = proxies.getClientProxyFactory(MapService.SERVICE_NAME);
        ClientProxyFactory ours = (name, context) -> {
            NearCacheConfig config = context.getClientConfig().getNearCacheConfig(name);
            if (config == null || !fronted.contains(config.getName())) {
                return hazelcasts.create(name, context);
            }
            // The check Hazelcast's factory makes before its near-cached proxy.
            ConfigValidator.checkNearCacheConfig(name, config, context.getClientConfig().getNativeMemoryConfig(), true);
            return new FrontedMapProxy<>(MapService.SERVICE_NAME, name, context);
        };
        try {
            Field field = ProxyManager.class.getDeclaredField("proxyFactories");
            field.setAccessible(true);
            ConcurrentMap<String, ClientProxyFactory> factories = (ConcurrentMap<String, ClientProxyFactory>) field.get(proxies);
            if (!factories.replace(MapService.SERVICE_NAME, hazelcasts, ours)) {
                throw new IllegalStateException("the map proxy factory changed while it was being replaced");
            }
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("near-cache fronts can not be installed on this Hazelcast version: its"
                    + " client's proxy factories are not where Lattice expects them (ProxyManager.proxyFactories)", e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void onInitialize() {
        super.onInitialize();
        NearCache<Object, Object> nearCache = getNearCache();
        if (nearCache instanceof FrontedNearCache<?, ?> fronted && !nearCache.isSerializeKeys()) {
            front = (FrontedNearCache<Object, Object>) fronted;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        FrontedNearCache<Object, Object> fronted = front;
        if (fronted != null && key != null) {
            Object hit = fronted.frontHit(key);
            if (hit != NearCache.NOT_CACHED) {
                return hit == NearCache.CACHED_AS_NULL ? null : (V) hit;
            }
        }
        return super.get(key);
    }
}
