package dev.lattice.monitoring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The timing wrapper around a real client's map. */
class ClientOperationMetricsTest {

    private static LocalCluster cluster;
    private static HazelcastInstance client;

    private PrometheusMeterRegistry registry;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder().members(1).spareSlots(0).start();
        client = cluster.newClient();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void newRegistry() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    @Test
    void keyOperations_areTimedByOperation_andStillWork() {
        IMap<String, String> map = ClientOperationMetrics.timed(registry, client.<String, String>getMap("timed"), "app", "shop");

        map.put("a", "1");
        map.set("b", "2");
        assertThat(map.get("a")).isEqualTo("1");
        assertThat(map.getAll(Set.of("a", "b"))).isEqualTo(Map.of("a", "1", "b", "2"));
        map.delete("b");

        assertThat(timer("put", "success").count()).isEqualTo(1);
        assertThat(timer("set", "success").count()).isEqualTo(1);
        assertThat(timer("get", "success").count()).isEqualTo(1);
        assertThat(timer("getAll", "success").count()).isEqualTo(1);
        assertThat(timer("delete", "success").count()).isEqualTo(1);
        assertThat(timer("get", "success").totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(timer("get", "success").getId().getTag("app")).isEqualTo("shop");
        assertThat(client.getMap("timed").get("a")).isEqualTo("1");
    }

    @Test
    void asyncOperation_isTimedUntilItCompletes() throws Exception {
        IMap<String, String> map = ClientOperationMetrics.timed(registry, client.<String, String>getMap("timed-async"));

        map.putAsync("k", "v").toCompletableFuture().get(10, TimeUnit.SECONDS);

        // Recorded when the stage completes, which may be just after get() returned.
        await().untilAsserted(() -> assertThat(registry.find(ClientOperationMetrics.TIMER)
                .tag("operation", "put").tag("outcome", "success").timers())
                .singleElement().satisfies(timer -> assertThat(timer.count()).isEqualTo(1)));
    }

    @Test
    void failingOperation_isTimedAsFailure_andThrowsTheOriginalException() {
        IMap<String, String> map = ClientOperationMetrics.timed(registry, client.<String, String>getMap("timed-failing"));

        assertThatThrownBy(() -> map.put(null, "v")).isInstanceOf(NullPointerException.class);

        assertThat(timer("put", "failure").count()).isEqualTo(1);
    }

    @Test
    void otherOperations_passThroughUntimed() {
        IMap<String, String> map = ClientOperationMetrics.timed(registry, client.<String, String>getMap("timed-other"));
        map.put("k", "v");

        assertThat(map.size()).isEqualTo(1);
        assertThat(map.keySet()).containsExactly("k");
        assertThat(map.getName()).isEqualTo("timed-other");

        assertThat(registry.find(ClientOperationMetrics.TIMER).tag("operation", "size").timer()).isNull();
        assertThat(registry.find(ClientOperationMetrics.TIMER).tag("operation", "keySet").timer()).isNull();
    }

    @Test
    void scrape_hasHistogramBucketsForPercentiles() {
        IMap<String, String> map = ClientOperationMetrics.timed(registry, client.<String, String>getMap("timed-scraped"));
        map.get("missing");

        assertThat(registry.scrape()).contains(
                "lattice_client_map_operations_seconds_bucket{map=\"timed-scraped\",operation=\"get\",outcome=\"success\",le=\"+Inf\"} 1");
        assertThat(timer("get", "success").getId().getDescription()).isNotBlank();
    }

    private Timer timer(String operation, String outcome) {
        return registry.get(ClientOperationMetrics.TIMER).tag("operation", operation).tag("outcome", outcome).timer();
    }
}
