package dev.lattice.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.IMap;
import dev.lattice.client.LatticeClient;
import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A real node's {@code /actuator/prometheus} carries the grid meters, described and typed. */
class GridNodeMetricsTests {

    @Test
    void prometheusEndpoint_servesMemberMapHealthAndLoaderMeters_allInTheReference() throws IOException {
        String cluster = "metrics-" + UUID.randomUUID();
        int port = FreePorts.one();
        try (GridNode node = GridNode.start("--lattice.cluster-name=" + cluster, "--lattice.network.port=" + port,
                "--lattice.network.port-auto-increment=false",
                "--lattice.maps.orders.store.mode=write-behind", "--lattice.maps.orders.store.key-type=long",
                "--lattice.maps.orders.store.value-type=text");
             LatticeClient client = LatticeClient.builder().addresses("127.0.0.1:" + port).clusterName(cluster).build()) {
            IMap<Long, String> orders = client.map("orders");
            orders.set(1L, "one");
            orders.get(1L);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(node.get("/actuator/prometheus").body())
                    .contains("# HELP lattice_cluster_members Members in the cluster as this member sees it",
                            "# TYPE lattice_cluster_members gauge",
                            "lattice_cluster_members 1.0",
                            "lattice_member_partitions 271.0",
                            "lattice_cluster_state{state=\"active\"} 1.0",
                            "lattice_partitions_state{state=\"safe\"} 1.0",
                            "lattice_health_state{check=\"readiness\"} 1.0",
                            "cache_puts_total{cache=\"orders\",map=\"orders\"} 1.0",
                            "lattice_map_sets_latency_seconds_count{map=\"orders\"} 1",
                            "# TYPE lattice_partition_completed_migrations_total counter",
                            "lattice_map_evicted_entries_total{map=\"orders\"} 0.0",
                            "lattice_mapstore_write_behind_backlog_entries{map=\"orders\"}",
                            "jvm_memory_used_bytes{area=\"heap\"",
                            "jvm_gc_pause_seconds_count"));

            // The metrics reference lists every grid meter the node serves.
            String reference = Files.readString(Path.of("..", "docs", "metrics.md"));
            Matcher families = Pattern.compile("(?m)^# TYPE ((?:lattice|cache)_\\w+?)(?:_max)? ").matcher(
                    node.get("/actuator/prometheus").body());
            int count = 0;
            while (families.find()) {
                assertThat(reference).as(families.group(1)).contains("`" + families.group(1) + "`");
                count++;
            }
            assertThat(count).isGreaterThan(20);
        }
    }
}
