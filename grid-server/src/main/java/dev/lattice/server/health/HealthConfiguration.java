package dev.lattice.server.health;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.server.config.LatticeProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the readiness check as health contributor {@code gridMember} (see application.yml for the groups). */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

    @Bean
    HealthIndicator gridMemberHealthIndicator(HazelcastInstance hazelcastInstance, LatticeProperties properties) {
        return new MemberReadinessHealthIndicator(hazelcastInstance, properties.getInitialMinClusterSize());
    }
}
