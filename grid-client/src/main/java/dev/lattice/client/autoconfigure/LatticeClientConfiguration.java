package dev.lattice.client.autoconfigure;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.client.LatticeClient;
import dev.lattice.client.LatticeClientBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The client itself, unless the application made its own Hazelcast instance. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean({HazelcastInstance.class, LatticeClient.class})
class LatticeClientConfiguration {

    @Bean(destroyMethod = "close")
    LatticeClient latticeClient(LatticeClientProperties properties, Environment environment,
                                ObjectProvider<LatticeClientCustomizer> customizers) {
        LatticeClientBuilder builder = LatticeClientPropertiesMapper.toBuilder(properties, environment);
        customizers.orderedStream().forEach(customizer -> builder.customize(customizer::customize));
        return builder.build();
    }

    /** The same client as a plain Hazelcast instance, for Boot's health indicator and other Hazelcast users. */
    @Bean(destroyMethod = "")
    HazelcastInstance latticeHazelcastClient(LatticeClient latticeClient) {
        // destroyMethod off: LatticeClient.close() closes its cache manager first, then shuts this down.
        return latticeClient.hazelcast();
    }
}
