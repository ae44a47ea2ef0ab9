package dev.lattice.server.member;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import dev.lattice.server.config.GridSettings;
import dev.lattice.server.persistence.GridPersistence;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastConfigCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Supplies the member {@link Config}; Spring Boot's Hazelcast auto-configuration starts the
 * member from it and shuts it down (gracefully) when the context closes.
 */
@Configuration(proxyBeanMethods = false)
class MemberConfiguration {

    @Bean
    GridPersistence gridPersistence(GridSettings settings, ObjectProvider<MeterRegistry> registry) {
        return new GridPersistence(settings, registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    /**
     * Lattice's settings and tables first, then the hooks: {@link MemberConfigCustomizer}s, then
     * Spring Boot's own {@link HazelcastConfigCustomizer}s (Boot applies those only to a config it
     * loads itself, and a grid node hands it a finished one), each kind in its
     * {@link org.springframework.core.annotation.Order}. Depends on {@link GridPersistence}, so the
     * database closes only after the member has stopped.
     */
    @Bean
    Config hazelcastConfig(GridSettings settings, GridPersistence persistence,
                           ObjectProvider<MemberConfigCustomizer> customizers,
                           ObjectProvider<HazelcastConfigCustomizer> bootCustomizers) {
        Config config = MemberConfigMapper.map(settings);
        persistence.apply(config);
        customizers.orderedStream().forEach(customizer -> customizer.customize(config));
        bootCustomizers.orderedStream().forEach(customizer -> customizer.customize(config));
        return config;
    }

    @Bean
    EffectiveConfigEndpoint effectiveConfigEndpoint(GridSettings settings, HazelcastInstance hazelcastInstance) {
        return new EffectiveConfigEndpoint(settings, hazelcastInstance);
    }

    /**
     * A pause of max-no-heartbeat may have got this member removed; members gone within three times
     * that after it (removal, then the woken member learning of it) mean it was.
     */
    @Bean
    StaleMemberGuard staleMemberGuard(GridSettings settings, HazelcastInstance hazelcastInstance) {
        GridSettings.FailureDetection detection = settings.failureDetection();
        Duration maxNoHeartbeat = detection.maxNoHeartbeat();
        return new StaleMemberGuard(hazelcastInstance, detection.exitWhenLeftBehind(), maxNoHeartbeat,
                maxNoHeartbeat.multipliedBy(3));
    }

    /**
     * A live member answers a new connection within milliseconds; one that has said nothing for 2 s
     * is paused or hung, and the connection only keeps an I/O thread spinning (see the class).
     */
    @Bean
    SilentConnectionReaper silentConnectionReaper(HazelcastInstance hazelcastInstance) {
        return new SilentConnectionReaper(hazelcastInstance, Duration.ofSeconds(2));
    }

    @Bean
    GracefulMemberShutdown gracefulMemberShutdown(HazelcastInstance hazelcastInstance) {
        return new GracefulMemberShutdown(hazelcastInstance);
    }
}
