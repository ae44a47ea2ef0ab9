package dev.lattice.client.autoconfigure;

import dev.lattice.client.LatticeClient;
import dev.lattice.monitoring.client.ClientConnectionMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The client's meters, when the application has a {@link MeterRegistry}: near-cache meters
 * ({@code lattice.client.near.cache.*}) for every map configured by exact name under
 * {@code lattice.client.near-cache}, and connection meters ({@code lattice.client.connection.state},
 * {@code lattice.client.disconnect.events}, {@code lattice.client.reconnect.events},
 * {@code lattice.client.minority.view.reconnect.events}). Operation
 * latency needs the application to wrap its maps with
 * {@link dev.lattice.monitoring.client.ClientOperationMetrics#timed}: a Hazelcast client has no
 * hook through which a starter could time every call.
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

    /**
     * Bound here rather than left to Boot's binder post-processing, like the near-cache meters, so
     * both appear with the registry this configuration saw; binding twice would do no harm.
     */
    @Bean(destroyMethod = "close")
    ClientConnectionMetrics latticeClientConnectionMetrics(LatticeClient latticeClient, MeterRegistry registry) {
        ClientConnectionMetrics metrics = new ClientConnectionMetrics(latticeClient.hazelcast(), Tags.empty());
        metrics.bindTo(registry);
        return metrics;
    }

    /** A client that keeps landing on a cut-off member shows here; see the README on network partitions. */
    @Bean
    FunctionCounter latticeClientMinorityViewReconnects(LatticeClient latticeClient, MeterRegistry registry) {
        return FunctionCounter.builder("lattice.client.minority.view.reconnect.events", latticeClient, LatticeClient::minorityViewReconnects)
                .description("Times the client reconnected because its cluster view had fewer members than the grid's"
                        + " minimum cluster size (it was listening to a member cut off from the majority)")
                .baseUnit("events")
                .register(registry);
    }
}
