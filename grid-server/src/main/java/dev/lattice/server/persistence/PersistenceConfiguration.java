package dev.lattice.server.persistence;

import com.hazelcast.core.HazelcastInstance;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Opens the backed maps once the member runs (see {@link MapLoads}). */
@Configuration(proxyBeanMethods = false)
class PersistenceConfiguration {

    @Bean
    MapLoads mapLoads(HazelcastInstance member, GridPersistence persistence) {
        return new MapLoads(member, persistence.stores());
    }
}
