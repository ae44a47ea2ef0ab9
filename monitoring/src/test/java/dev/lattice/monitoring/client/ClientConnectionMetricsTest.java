package dev.lattice.monitoring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connection meters of a real client as its only member goes away and another comes. */
class ClientConnectionMetricsTest {

    @Test
    void clusterLostAndRegained_countsOneDisconnectAndOneReconnect() {
        try (LocalCluster cluster = LocalCluster.builder().members(1).spareSlots(1).start()) {
            HazelcastInstance client = cluster.newClient(config -> config.getConnectionStrategyConfig()
                    .getConnectionRetryConfig().setInitialBackoffMillis(100).setMaxBackoffMillis(500));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ClientConnectionMetrics.monitor(registry, client, "app", "orders");
            assertThat(state(registry)).isEqualTo(1.0);
            assertThat(count(registry, "lattice.client.reconnect.events")).isZero();

            cluster.shutdown(0);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(state(registry)).isZero();
                assertThat(count(registry, "lattice.client.disconnect.events")).isEqualTo(1.0);
            });

            cluster.startMember();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(state(registry)).isEqualTo(1.0);
                assertThat(count(registry, "lattice.client.reconnect.events")).isEqualTo(1.0);
            });
            assertThat(count(registry, "lattice.client.disconnect.events")).isEqualTo(1.0);
            assertThat(registry.getMeters()).hasSize(3).allSatisfy(meter -> {
                Meter.Id id = meter.getId();
                assertThat(id.getDescription()).isNotBlank();
                assertThat(id.getBaseUnit()).isNotBlank();
                assertThat(id.getTag("app")).isEqualTo("orders");
            });
        }
    }

    @Test
    void clientShutDown_readsDisconnected() {
        try (LocalCluster cluster = LocalCluster.builder().members(1).spareSlots(0).start()) {
            HazelcastInstance client = cluster.newClient();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ClientConnectionMetrics metrics = ClientConnectionMetrics.monitor(registry, client);

            client.shutdown();
            metrics.close();

            assertThat(state(registry)).isZero();
            assertThat(count(registry, "lattice.client.disconnect.events")).isLessThanOrEqualTo(1.0);
        }
    }

    private static double state(SimpleMeterRegistry registry) {
        return registry.get("lattice.client.connection.state").gauge().value();
    }

    private static double count(SimpleMeterRegistry registry, String name) {
        return registry.get(name).functionCounter().count();
    }
}
