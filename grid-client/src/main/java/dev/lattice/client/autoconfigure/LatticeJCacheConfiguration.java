package dev.lattice.client.autoconfigure;

import dev.lattice.client.LatticeClient;
import java.util.List;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The client's JCache manager as a bean. Boot's cache auto-configuration
 * ({@code spring.cache.type=jcache}) then wraps it for {@code @Cacheable}; because the manager is
 * ours, Boot no longer creates {@code spring.cache.cache-names} itself, so this does.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Caching.class)
@ConditionalOnBean(LatticeClient.class)
@ConditionalOnMissingBean(CacheManager.class)
class LatticeJCacheConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LatticeJCacheConfiguration.class);

    @Bean(destroyMethod = "")
    CacheManager latticeJCacheManager(LatticeClient latticeClient, Environment environment) {
        // destroyMethod off: the manager belongs to LatticeClient, which closes it before the client.
        CacheManager cacheManager = latticeClient.cacheManager();
        List<String> cacheNames = Binder.get(environment)
                .bind("spring.cache.cache-names", Bindable.listOf(String.class))
                .orElse(List.of());
        cacheNames.forEach(name -> ensureCache(cacheManager, name));
        return cacheManager;
    }

    /**
     * Creates {@code name} unless the cluster already has it: a member's config or another
     * application instance may have made it, and {@code createCache} on an existing cache throws.
     */
    private static void ensureCache(CacheManager cacheManager, String name) {
        if (cacheManager.getCache(name) != null) {
            return;
        }
        try {
            cacheManager.createCache(name, new MutableConfiguration<>());
            LOG.info("created JCache cache '{}' (spring.cache.cache-names)", name);
        } catch (CacheException e) {
            // Another instance created it between our look and our create: theirs is as good as ours.
            if (cacheManager.getCache(name) == null) {
                throw e;
            }
        }
    }
}
