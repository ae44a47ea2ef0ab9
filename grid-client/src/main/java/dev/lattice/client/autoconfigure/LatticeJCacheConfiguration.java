package dev.lattice.client.autoconfigure;

import dev.lattice.client.LatticeClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The client's JCache manager as a bean. Boot's cache auto-configuration
 * ({@code spring.cache.type=jcache}) then wraps it for {@code @Cacheable}; because the manager is
 * ours, Boot no longer creates {@code spring.cache.cache-names} itself, so this does, with a
 * default configuration, and also every cache of {@code lattice.client.jcache.caches} with its own
 * (a read-through loader, expiry, statistics), which wins for a name in both.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Caching.class)
@ConditionalOnBean(LatticeClient.class)
@ConditionalOnMissingBean(CacheManager.class)
@EnableConfigurationProperties(LatticeJCacheProperties.class)
class LatticeJCacheConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LatticeJCacheConfiguration.class);

    @Bean(destroyMethod = "")
    CacheManager latticeJCacheManager(LatticeClient latticeClient, LatticeJCacheProperties properties, Environment environment) {
        // destroyMethod off: the manager belongs to LatticeClient, which closes it before the client.
        CacheManager cacheManager = latticeClient.cacheManager();
        Map<String, javax.cache.configuration.Configuration<Object, Object>> caches = new LinkedHashMap<>();
        Binder.get(environment).bind("spring.cache.cache-names", Bindable.listOf(String.class)).orElse(List.of())
                .forEach(name -> caches.put(name, new MutableConfiguration<>()));
        ClassLoader classLoader = getClass().getClassLoader();
        caches.putAll(LatticeClientPropertiesMapper.toCacheConfigurations(properties, classLoader, environment));
        caches.forEach((name, configuration) -> ensureCache(cacheManager, name, configuration));
        return cacheManager;
    }

    /**
     * Creates {@code name} unless the cluster already has it: a member's config or another
     * application instance may have made it, and {@code createCache} on an existing cache throws.
     */
    private static void ensureCache(CacheManager cacheManager, String name,
                                   javax.cache.configuration.Configuration<Object, Object> configuration) {
        if (cacheManager.getCache(name) != null) {
            LOG.info("JCache cache '{}' already exists in the cluster: using its configuration", name);
            return;
        }
        try {
            cacheManager.createCache(name, configuration);
            LOG.info("created JCache cache '{}'", name);
        } catch (CacheException e) {
            // Another instance created it between our look and our create: theirs is as good as ours.
            if (cacheManager.getCache(name) == null) {
                throw e;
            }
        }
    }
}
