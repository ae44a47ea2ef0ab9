package dev.lattice.server.health;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.server.config.GridSettings;
import dev.lattice.server.persistence.GridPersistence;
import dev.lattice.server.persistence.MapLoads;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health contributors (see application.yml for the groups): {@code gridMember} and
 * {@code gridMaps} make up readiness, {@code database} shows in overall health only.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

    @Bean
    HealthIndicator gridMemberHealthIndicator(HazelcastInstance hazelcastInstance, GridSettings settings) {
        return new MemberReadinessHealthIndicator(hazelcastInstance, settings.initialMinClusterSize());
    }

    @Bean
    HealthIndicator gridMapsHealthIndicator(MapLoads loads) {
        return new MapLoadHealthIndicator(loads);
    }

    /** Takes the member so that the pool exists: it is opened while the member config is built. */
    @Bean
    HealthIndicator databaseHealthIndicator(GridPersistence persistence, HazelcastInstance member) {
        DataSource dataSource = persistence.dataSource();
        if (dataSource == null) {
            return () -> Health.up().withDetail("database", "none: no map is backed by a table").build();
        }
        return new DatabaseHealthIndicator(dataSource);
    }
}
