package dev.lattice.client.autoconfigure;

import dev.lattice.client.autoconfigure.LatticeJCacheProperties.ExpiryPolicy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import javax.cache.integration.CacheLoader;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;

/**
 * Turns one {@code lattice.client.jcache.caches.NAME} entry into the JSR-107 configuration the
 * cache is created with, failing with the property name and value when one is unusable.
 */
final class JCacheSettings {

    private JCacheSettings() {
    }

    static MutableConfiguration<Object, Object> toConfiguration(String name, LatticeJCacheProperties.Cache cache,
                                                                ClassLoader classLoader) {
        String prefix = "lattice.client.jcache.caches." + name + ".";
        MutableConfiguration<Object, Object> configuration = new MutableConfiguration<>()
                .setStatisticsEnabled(cache.isStatisticsEnabled())
                .setManagementEnabled(cache.isManagementEnabled())
                .setExpiryPolicyFactory(expiry(prefix, cache.getExpiryPolicy(), cache.getExpiryDuration()));
        boolean readThrough = cache.getReadThrough() != null ? cache.getReadThrough() : cache.getLoader() != null;
        if (readThrough && cache.getLoader() == null) {
            throw new InvalidConfigurationPropertyValueException(prefix + "read-through", true,
                    "read-through needs " + prefix + "loader");
        }
        if (cache.getLoader() != null) {
            configuration.setCacheLoaderFactory(loaderFactory(prefix + "loader", cache.getLoader(), classLoader));
        }
        return configuration.setReadThrough(readThrough);
    }

    /**
     * A factory that carries only the class name, so each member makes its own loader with its
     * own class loader (the node's lattice.extensions.dir) instead of receiving a serialized one.
     */
    @SuppressWarnings("unchecked")
    private static Factory<CacheLoader<Object, Object>> loaderFactory(String property, String className, ClassLoader classLoader) {
        Class<?> type;
        try {
            type = ClassUtils.forName(className, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new InvalidConfigurationPropertyValueException(property, className, "class not found: " + e);
        }
        if (!CacheLoader.class.isAssignableFrom(type)) {
            throw new InvalidConfigurationPropertyValueException(property, className,
                    "must implement javax.cache.integration.CacheLoader");
        }
        if (!ClassUtils.hasConstructor(type)) {
            throw new InvalidConfigurationPropertyValueException(property, className,
                    "needs a public constructor without arguments");
        }
        return FactoryBuilder.factoryOf((Class<CacheLoader<Object, Object>>) type);
    }

    private static Factory<? extends javax.cache.expiry.ExpiryPolicy> expiry(String prefix, ExpiryPolicy policy, Duration duration) {
        if (policy == ExpiryPolicy.ETERNAL) {
            if (duration != null) {
                throw new InvalidConfigurationPropertyValueException(prefix + "expiry-duration", duration,
                        "needs an expiry-policy other than ETERNAL");
            }
            return EternalExpiryPolicy.factoryOf();
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new InvalidConfigurationPropertyValueException(prefix + "expiry-duration", duration,
                    "expiry-policy " + policy + " needs a positive expiry-duration");
        }
        javax.cache.expiry.Duration lifetime = new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, duration.toMillis());
        return switch (policy) {
            case CREATED -> CreatedExpiryPolicy.factoryOf(lifetime);
            case MODIFIED -> ModifiedExpiryPolicy.factoryOf(lifetime);
            case ACCESSED -> AccessedExpiryPolicy.factoryOf(lifetime);
            case TOUCHED -> TouchedExpiryPolicy.factoryOf(lifetime);
            case ETERNAL -> throw new IllegalStateException("handled above");
        };
    }
}
