package dev.lattice.server.metrics;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.monitoring.member.MemberMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The grid meters of this node, as {@link MeterBinder} beans that Spring Boot binds to its
 * registry (and so to {@code /actuator/prometheus}): every member, partition and map meter
 * from the {@code monitoring} module, and the state of the node's health checks. JVM, GC,
 * process and HTTP meters are Boot's own; the loader registers {@code lattice.mapstore.*}.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    /** Closed before the member stops: it only removes its listeners. */
    @Bean(destroyMethod = "close")
    MemberMetrics latticeMemberMetrics(HazelcastInstance hazelcastInstance) {
        return new MemberMetrics(hazelcastInstance, Tags.empty());
    }

    @Bean
    MeterBinder latticeHealthMetrics(ObjectProvider<HealthEndpoint> healthEndpoint) {
        return registry -> healthEndpoint.ifAvailable(endpoint -> new HealthMetrics(endpoint).bindTo(registry));
    }
}
