package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.server.config.GridSettingsConfiguration;
import dev.lattice.testsupport.FreePorts;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastConfigCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Both hooks reach the running member, after Lattice's own settings: Lattice's
 * {@link MemberConfigCustomizer}s first, then Spring Boot's {@link HazelcastConfigCustomizer}s.
 * A real member starts (Boot's Hazelcast auto-configuration on the node's config bean).
 */
class ConfigCustomizerTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class, HazelcastAutoConfiguration.class))
            .withUserConfiguration(GridSettingsConfiguration.class, MemberConfiguration.class, Customizers.class);

    @Test
    void bootHazelcastConfigCustomizer_changesTheRunningMemberAfterLatticesSettingsAndHooks() {
        int port = FreePorts.one();
        runner.withPropertyValues("lattice.cluster-name=customizers-" + UUID.randomUUID(), "lattice.network.port=" + port,
                        "lattice.network.port-auto-increment=false", "lattice.discovery.members=127.0.0.1:" + port,
                        "lattice.maps.orders.backup-count=2", "lattice.maps.orders.time-to-live=30s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HazelcastInstance member = context.getBean(HazelcastInstance.class);
                    // Lattice's value reached the member, then Boot's customizer overrode it.
                    assertThat(member.getConfig().getMapConfig("orders").getTimeToLiveSeconds()).isEqualTo(30);
                    assertThat(member.getConfig().getMapConfig("orders").getBackupCount()).isZero();
                    assertThat(context.getBean(Customizers.class).calls).containsExactly("lattice saw backup-count 2",
                            "boot saw backup-count 3");
                    @SuppressWarnings("unchecked")
                    Map<String, Map<String, Object>> settings = (Map<String, Map<String, Object>>) context
                            .getBean(EffectiveConfigEndpoint.class).map("orders").get("settings");
                    assertThat(settings.get("backup-count")).containsEntry("value", 0)
                            .containsEntry("source", EffectiveConfigEndpoint.CUSTOMIZED);
                    assertThat(settings.get("time-to-live")).containsEntry("value", "30s")
                            .containsEntry("source", "lattice.maps.orders.time-to-live");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {

        final List<String> calls = new CopyOnWriteArrayList<>();

        @Bean
        MemberConfigCustomizer latticeHook() {
            return config -> {
                calls.add("lattice saw backup-count " + config.getMapConfig("orders").getBackupCount());
                config.getMapConfig("orders").setBackupCount(3);
            };
        }

        @Bean
        HazelcastConfigCustomizer bootHook() {
            return config -> {
                calls.add("boot saw backup-count " + config.getMapConfig("orders").getBackupCount());
                config.getMapConfig("orders").setBackupCount(0);
            };
        }
    }
}
