package dev.lattice.client.autoconfigure;

import dev.lattice.client.LatticeClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Near-cache meters ({@code lattice.client.near.cache.*}) for every map configured by exact name
 * under {@code lattice.client.near-cache}, when the application has a {@link MeterRegistry}.
 */
@AutoConfiguration(after = LatticeClientAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({LatticeClient.class, MeterRegistry.class})
public final class LatticeClientMetricsAutoConfiguration {

    @Bean
    NearCacheMetricsRegistration latticeNearCacheMetrics(LatticeClient latticeClient, MeterRegistry registry) {
        return NearCacheMetricsRegistration.bind(latticeClient, registry);
    }
}
