package dev.lattice.client.autoconfigure;

import com.hazelcast.client.HazelcastClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Starts a Lattice client from {@code lattice.client.*} and offers it as a
 * {@link dev.lattice.client.LatticeClient}, a client {@code HazelcastInstance} and a JCache
 * {@code CacheManager}. Runs before Boot's Hazelcast auto-configuration (which then sees a
 * {@code HazelcastInstance} and starts no embedded member) and before Boot's cache
 * auto-configuration (which then wraps our JCache manager). Off with {@code lattice.client.enabled=false}.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration",
        "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration"})
@ConditionalOnClass(HazelcastClient.class)
@ConditionalOnBooleanProperty(name = "lattice.client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LatticeClientProperties.class)
@Import({LatticeClientConfiguration.class, LatticeJCacheConfiguration.class})
public final class LatticeClientAutoConfiguration {
}
