package dev.lattice.client.autoconfigure;

import dev.lattice.client.LatticeClient;
import dev.lattice.client.LatticeClientBuilder;
import dev.lattice.client.NearCacheOptions;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@link LatticeClientProperties} into a {@link LatticeClientBuilder}. The builder checks
 * every value; this class only says which property a rejected value came from, so startup fails
 * with "Property lattice.client.x with value 'y' is invalid: reason".
 */
final class ClientSettings {

    private static final String PREFIX = "lattice.client.";

    private ClientSettings() {
    }

    static LatticeClientBuilder toBuilder(LatticeClientProperties properties) {
        LatticeClientBuilder builder = LatticeClient.builder();
        set("addresses", properties.getAddresses(), () -> builder.addresses(properties.getAddresses()));
        set("cluster-name", properties.getClusterName(), () -> builder.clusterName(properties.getClusterName()));
        set("instance-name", properties.getInstanceName(), () -> builder.instanceName(properties.getInstanceName()));
        set("heartbeat-timeout", properties.getHeartbeatTimeout(),
                () -> builder.heartbeatTimeout(properties.getHeartbeatTimeout()));
        builder.redoOperation(properties.isRedoOperation());
        connectionRetry(properties.getConnectionRetry(), builder);
        for (Map.Entry<String, LatticeClientProperties.NearCache> entry : properties.getNearCache().entrySet()) {
            String map = entry.getKey();
            NearCacheOptions options = nearCache("near-cache." + map + ".", entry.getValue());
            set("near-cache." + map, map, () -> builder.nearCache(map, options));
        }
        return builder;
    }

    private static void connectionRetry(LatticeClientProperties.ConnectionRetry retry, LatticeClientBuilder builder) {
        String prefix = "connection-retry.";
        set(prefix + "initial-backoff", retry.getInitialBackoff(), () -> builder.initialBackoff(retry.getInitialBackoff()));
        set(prefix + "max-backoff", retry.getMaxBackoff(), () -> builder.maxBackoff(retry.getMaxBackoff()));
        set(prefix + "multiplier", retry.getMultiplier(), () -> builder.backoffMultiplier(retry.getMultiplier()));
        set(prefix + "jitter", retry.getJitter(), () -> builder.jitter(retry.getJitter()));
        set(prefix + "cluster-connect-timeout", retry.getClusterConnectTimeout(),
                () -> builder.clusterConnectTimeout(retry.getClusterConnectTimeout()));
        // Building the config once surfaces a clash (max-backoff below initial-backoff) under a property name.
        set(prefix + "max-backoff", retry.getMaxBackoff(), builder::toClientConfig);
    }

    private static NearCacheOptions nearCache(String prefix, LatticeClientProperties.NearCache nearCache) {
        NearCacheOptions.Builder options = NearCacheOptions.builder();
        LatticeClientProperties.Preload preload = nearCache.getPreload();
        set(prefix + "in-memory-format", nearCache.getInMemoryFormat(),
                () -> options.inMemoryFormat(nearCache.getInMemoryFormat()));
        set(prefix + "time-to-live", nearCache.getTimeToLive(), () -> options.timeToLive(nearCache.getTimeToLive()));
        set(prefix + "max-idle", nearCache.getMaxIdle(), () -> options.maxIdle(nearCache.getMaxIdle()));
        set(prefix + "eviction-policy", nearCache.getEvictionPolicy(),
                () -> options.evictionPolicy(nearCache.getEvictionPolicy()));
        set(prefix + "max-size", nearCache.getMaxSize(), () -> options.maxSize(nearCache.getMaxSize()));
        options.invalidateOnChange(nearCache.isInvalidateOnChange()).serializeKeys(nearCache.isSerializeKeys());
        options.preload(preload.isEnabled());
        set(prefix + "preload.directory", preload.getDirectory(), () -> options.preloadDirectory(preload.getDirectory()));
        set(prefix + "preload.store-initial-delay", preload.getStoreInitialDelay(),
                () -> options.preloadStoreInitialDelay(preload.getStoreInitialDelay()));
        set(prefix + "preload.store-interval", preload.getStoreInterval(),
                () -> options.preloadStoreInterval(preload.getStoreInterval()));
        // The one combination check: invalidate-on-change=false without any expiry.
        return get(prefix + "invalidate-on-change", nearCache.isInvalidateOnChange(), options::build);
    }

    private static void set(String property, Object value, Runnable setter) {
        get(property, value, () -> {
            setter.run();
            return null;
        });
    }

    private static <T> T get(String property, Object value, Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + property, value, e.getMessage());
        }
    }
}
