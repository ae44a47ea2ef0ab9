package dev.lattice.server.persistence;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.server.config.GridSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Opens the backed maps once the member runs (see {@link MapLoads}). */
@Configuration(proxyBeanMethods = false)
class PersistenceConfiguration {

    @Bean
    MapLoads mapLoads(HazelcastInstance member, GridPersistence persistence, GridSettings settings) {
        return new MapLoads(member, persistence.stores(), settings.minimumClusterSize());
    }
}
