package dev.lattice.server.member;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import dev.lattice.server.config.LatticeProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Supplies the member {@link Config}; Spring Boot's Hazelcast auto-configuration starts the
 * member from it and shuts it down (gracefully) when the context closes.
 */
@Configuration(proxyBeanMethods = false)
class MemberConfiguration {

    @Bean
    Config hazelcastConfig(LatticeProperties properties, ObjectProvider<MemberConfigCustomizer> customizers) {
        Config config = new MemberConfigFactory(properties).create();
        customizers.orderedStream().forEach(customizer -> customizer.customize(config));
        return config;
    }

    @Bean
    GracefulMemberShutdown gracefulMemberShutdown(HazelcastInstance hazelcastInstance) {
        return new GracefulMemberShutdown(hazelcastInstance);
    }
}
