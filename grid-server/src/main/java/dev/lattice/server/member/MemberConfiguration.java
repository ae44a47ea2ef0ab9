package dev.lattice.server.member;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import dev.lattice.server.config.LatticeProperties;
import dev.lattice.server.persistence.GridPersistence;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
    GridPersistence gridPersistence(LatticeProperties properties, ObjectProvider<MeterRegistry> registry) {
        return new GridPersistence(properties, registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** Depends on {@link GridPersistence}, so the database closes only after the member has stopped. */
    @Bean
    Config hazelcastConfig(LatticeProperties properties, GridPersistence persistence,
                           ObjectProvider<MemberConfigCustomizer> customizers) {
        Config config = new MemberConfigFactory(properties).create();
        persistence.apply(config);
        customizers.orderedStream().forEach(customizer -> customizer.customize(config));
        return config;
    }

    @Bean
    GracefulMemberShutdown gracefulMemberShutdown(HazelcastInstance hazelcastInstance) {
        return new GracefulMemberShutdown(hazelcastInstance);
    }
}
