package dev.lattice.client.autoconfigure;

import dev.lattice.client.LatticeClient;
import dev.lattice.client.LatticeClientBuilder;
import dev.lattice.client.NearCacheOptions;
import dev.lattice.client.autoconfigure.LatticeJCacheProperties.ExpiryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import javax.cache.integration.CacheLoader;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The one translation from {@code lattice.client.*} to the library: the {@link LatticeClientBuilder}
 * (and {@link NearCacheOptions}) for the client, JSR-107 configurations for the caches. Only set
 * values are passed on, so every default stays the library's. The library checks each value; this
 * says which property a rejected value came from, with the value as typed, and lists every problem
 * before it fails.
 */
final class LatticeClientPropertiesMapper {

    private static final String PREFIX = "lattice.client.";

    private final Iterable<ConfigurationPropertySource> sources;
    private final List<String> problems = new ArrayList<>();
    private final PropertyMapper map = PropertyMapper.get();

    private LatticeClientPropertiesMapper(Environment environment) {
        this.sources = ConfigurationPropertySources.get(environment);
    }

    /** @throws InvalidClientPropertiesException listing every invalid value */
    static LatticeClientBuilder toBuilder(LatticeClientProperties properties, Environment environment) {
        LatticeClientPropertiesMapper mapper = new LatticeClientPropertiesMapper(environment);
        LatticeClientBuilder builder = mapper.builder(properties);
        mapper.throwIfAny();
        return builder;
    }

    /** @throws InvalidClientPropertiesException listing every invalid value */
    static Map<String, MutableConfiguration<Object, Object>> toCacheConfigurations(LatticeJCacheProperties properties,
                                                                                   ClassLoader classLoader, Environment environment) {
        LatticeClientPropertiesMapper mapper = new LatticeClientPropertiesMapper(environment);
        Map<String, MutableConfiguration<Object, Object>> caches = new LinkedHashMap<>();
        properties.getCaches().forEach((name, cache) -> caches.put(name, mapper.cache("jcache.caches." + name + ".", cache, classLoader)));
        mapper.throwIfAny();
        return caches;
    }

    private LatticeClientBuilder builder(LatticeClientProperties properties) {
        LatticeClientBuilder builder = LatticeClient.builder();
        map.from(properties::getAddresses).to(set("addresses", builder::addresses));
        map.from(properties::getClusterName).to(set("cluster-name", builder::clusterName));
        map.from(properties::getInstanceName).to(set("instance-name", builder::instanceName));
        map.from(properties::getHeartbeatTimeout).to(set("heartbeat-timeout", builder::heartbeatTimeout));
        map.from(properties::getRedoOperation).to(builder::redoOperation);
        LatticeClientProperties.ConnectionRetry retry = properties.getConnectionRetry();
        map.from(retry::getInitialBackoff).to(set("connection-retry.initial-backoff", builder::initialBackoff));
        map.from(retry::getMaxBackoff).to(set("connection-retry.max-backoff", builder::maxBackoff));
        map.from(retry::getMultiplier).to(set("connection-retry.multiplier", builder::backoffMultiplier));
        map.from(retry::getJitter).to(set("connection-retry.jitter", builder::jitter));
        map.from(retry::getClusterConnectTimeout).to(set("connection-retry.cluster-connect-timeout", builder::clusterConnectTimeout));
        properties.getNearCache().forEach((name, nearCache) -> {
            NearCacheOptions options = nearCache("near-cache." + name + ".", nearCache);
            if (options != null) {
                builder.nearCache(name, options);
            }
        });
        if (problems.isEmpty()) {
            // The one combination the builder checks as a whole: max-backoff below initial-backoff.
            check("connection-retry.max-backoff", retry.getMaxBackoff(), builder::toClientConfig);
        }
        return builder;
    }

    private @Nullable NearCacheOptions nearCache(String prefix, LatticeNearCacheProperties nearCache) {
        NearCacheOptions.Builder options = NearCacheOptions.builder();
        int before = problems.size();
        map.from(nearCache::getInMemoryFormat).to(set(prefix + "in-memory-format", options::inMemoryFormat));
        map.from(nearCache::getTimeToLive).to(set(prefix + "time-to-live", options::timeToLive));
        map.from(nearCache::getMaxIdle).to(set(prefix + "max-idle", options::maxIdle));
        map.from(nearCache::getEvictionPolicy).to(set(prefix + "eviction-policy", options::evictionPolicy));
        map.from(nearCache::getMaxSize).to(set(prefix + "max-size", options::maxSize));
        map.from(nearCache::getInvalidateOnChange).to(options::invalidateOnChange);
        map.from(nearCache::getSerializeKeys).to(options::serializeKeys);
        map.from(nearCache::getFront).to(options::front);
        LatticeNearCacheProperties.Preload preload = nearCache.getPreload();
        map.from(preload::getEnabled).to(options::preload);
        map.from(preload::getDirectory).to(set(prefix + "preload.directory", options::preloadDirectory));
        map.from(preload::getStoreInitialDelay).to(set(prefix + "preload.store-initial-delay", options::preloadStoreInitialDelay));
        map.from(preload::getStoreInterval).to(set(prefix + "preload.store-interval", options::preloadStoreInterval));
        if (problems.size() != before) {
            return null;
        }
        // The combinations build() checks: the front's needs first, then invalidate-on-change=false
        // without any expiry; name the property whose combination failed.
        boolean frontMisfits = Boolean.TRUE.equals(nearCache.getFront())
                && (isPositive(nearCache.getTimeToLive()) || isPositive(nearCache.getMaxIdle()));
        return frontMisfits ? check(prefix + "front", true, options::build)
                : check(prefix + "invalidate-on-change", nearCache.getInvalidateOnChange(), options::build);
    }

    private static boolean isPositive(@Nullable Duration duration) {
        return duration != null && !duration.isZero() && !duration.isNegative();
    }

    private MutableConfiguration<Object, Object> cache(String prefix, LatticeJCacheProperties.Cache cache, ClassLoader classLoader) {
        MutableConfiguration<Object, Object> configuration = new MutableConfiguration<>();
        map.from(cache::getStatisticsEnabled).to(configuration::setStatisticsEnabled);
        map.from(cache::getManagementEnabled).to(configuration::setManagementEnabled);
        ExpiryPolicy policy = cache.getExpiryPolicy() != null ? cache.getExpiryPolicy() : ExpiryPolicy.ETERNAL;
        Factory<? extends javax.cache.expiry.ExpiryPolicy> expiry = expiry(prefix, policy, cache.getExpiryDuration());
        if (expiry != null) {
            configuration.setExpiryPolicyFactory(expiry);
        }
        boolean readThrough = cache.getReadThrough() != null ? cache.getReadThrough() : cache.getLoader() != null;
        if (readThrough && cache.getLoader() == null) {
            reject(prefix + "read-through", true, "read-through needs " + PREFIX + prefix + "loader");
        }
        map.from(cache::getLoader).to(loader -> check(prefix + "loader", loader,
                () -> configuration.setCacheLoaderFactory(loaderFactory(loader, classLoader))));
        return configuration.setReadThrough(readThrough);
    }

    /**
     * A factory that carries only the class name, so each member makes its own loader with its
     * own class loader (the node's lattice.extensions.dir) instead of receiving a serialized one.
     */
    @SuppressWarnings("unchecked")
    private static Factory<CacheLoader<Object, Object>> loaderFactory(String className, ClassLoader classLoader) {
        Class<?> type;
        try {
            type = ClassUtils.forName(className, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("class not found: " + e);
        }
        if (!CacheLoader.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("must implement javax.cache.integration.CacheLoader");
        }
        if (!ClassUtils.hasConstructor(type)) {
            throw new IllegalArgumentException("needs a public constructor without arguments");
        }
        return FactoryBuilder.factoryOf((Class<CacheLoader<Object, Object>>) type);
    }

    private @Nullable Factory<? extends javax.cache.expiry.ExpiryPolicy> expiry(String prefix, ExpiryPolicy policy,
                                                                                 @Nullable Duration duration) {
        if (policy == ExpiryPolicy.ETERNAL) {
            if (duration != null) {
                reject(prefix + "expiry-duration", duration, "needs an expiry-policy other than ETERNAL");
            }
            return EternalExpiryPolicy.factoryOf();
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            reject(prefix + "expiry-duration", duration, "expiry-policy " + policy + " needs a positive expiry-duration");
            return null;
        }
        javax.cache.expiry.Duration lifetime = new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, duration.toMillis());
        return switch (policy) {
            case CREATED -> CreatedExpiryPolicy.factoryOf(lifetime);
            case MODIFIED -> ModifiedExpiryPolicy.factoryOf(lifetime);
            case ACCESSED -> AccessedExpiryPolicy.factoryOf(lifetime);
            case TOUCHED -> TouchedExpiryPolicy.factoryOf(lifetime);
            case ETERNAL -> EternalExpiryPolicy.factoryOf();
        };
    }

    /** A setter that reports the library's verdict under {@code property} instead of throwing. */
    private <T> Consumer<T> set(String property, Consumer<T> setter) {
        return value -> check(property, value, () -> {
            setter.accept(value);
            return null;
        });
    }

    private <T> @Nullable T check(String property, @Nullable Object value, Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            reject(property, value, String.valueOf(e.getMessage()));
            return null;
        }
    }

    private void reject(String property, @Nullable Object value, String reason) {
        problems.add(InvalidClientPropertiesException.format(PREFIX + property, typed(PREFIX + property, value), reason));
    }

    /** The text the user typed, so an error shows {@code 1500ms} rather than the bound {@code PT1.5S}. */
    private String typed(String property, @Nullable Object value) {
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(property, '.');
        for (ConfigurationPropertySource source : sources) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null && found.getValue() != null) {
                return String.valueOf(found.getValue());
            }
        }
        return value instanceof Collection<?> values ? String.join(",", values.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }

    private void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidClientPropertiesException(problems);
        }
    }
}
