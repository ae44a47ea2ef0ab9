package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.map.IMap;
import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Closing a node (what SIGTERM does) migrates its partitions before it leaves, and its probes
 * keep answering while it does: readiness down, liveness up.
 */
class GracefulShutdownTests {

    private static final int ENTRIES = 5_000;

    @Test
    void closingANode_migratesItsData_evenWithoutBackups() {
        List<Integer> ports = FreePorts.distinct(2);
        String members = "--lattice.discovery.members=127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1);
        String cluster = "--lattice.cluster-name=graceful-" + UUID.randomUUID();
        // backup-count 0: if the leaving node's partitions were not migrated, about half the data would go with it.
        String noBackups = "--lattice.maps.orders.backup-count=0";
        try (GridNode staying = GridNode.start(cluster, members, noBackups, "--lattice.network.port=" + ports.get(0));
             GridNode leaving = GridNode.start(cluster, members, noBackups, "--lattice.network.port=" + ports.get(1))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> staying.member().getCluster().getMembers().size() == 2);
            // The joining node gets its partitions by migration after it joined: wait until it holds them.
            await().atMost(Duration.ofSeconds(30)).until(() -> staying.member().getPartitionService().isClusterSafe()
                    && staying.member().getPartitionService().getPartitions().stream()
                            .anyMatch(p -> leaving.member().getCluster().getLocalMember().equals(p.getOwner())));
            IMap<Integer, String> orders = staying.member().getMap("orders");
            Map<Integer, String> batch = new HashMap<>();
            for (int i = 0; i < ENTRIES; i++) {
                batch.put(i, "order-" + i);
            }
            orders.putAll(batch);
            assertThat(leaving.member().getMap("orders").getLocalMapStats().getOwnedEntryCount()).isPositive();

            Map<String, Integer> probesDuringShutdown = new ConcurrentHashMap<>();
            leaving.member().getLifecycleService().addLifecycleListener(event -> {
                if (event.getState() == LifecycleState.SHUTTING_DOWN) {
                    probesDuringShutdown.put("liveness", leaving.get("/actuator/health/liveness").statusCode());
                    probesDuringShutdown.put("readiness", leaving.get("/actuator/health/readiness").statusCode());
                }
            });

            leaving.close();

            assertThat(probesDuringShutdown).containsEntry("liveness", 200).containsEntry("readiness", 503);
            await().atMost(Duration.ofSeconds(30)).until(() -> staying.member().getCluster().getMembers().size() == 1);
            assertThat(orders.size()).isEqualTo(ENTRIES);
            for (int i = 0; i < ENTRIES; i++) {
                assertThat(orders.get(i)).isEqualTo("order-" + i);
            }
        }
    }
}
