package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import dev.lattice.client.LatticeClient;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import io.fabric8.kubernetes.api.model.Container;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Kubernetes does to a member on scale-down or a rolling restart, done to a real one started
 * from the rendered chart (the production scenario: external PostgreSQL): SIGTERM to a member that
 * holds data. The rendered probes must keep it alive but out of traffic while it hands over its
 * partitions, and it must be gone well within the rendered grace period.
 */
class GracefulShutdownTests {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdownTests.class);
    private static final int SESSIONS = 50_000;
    private static final int ORDERS = 2_000;

    @Test
    void sigterm_takesTheMemberOutOfTrafficButKeepsItAlive_untilItLeavesWithinTheGracePeriod(@TempDir Path root) throws Exception {
        RenderedChart chart = HelmChart.scenario(HelmChart.scenario("external-database")).render();
        Container container = chart.gridServer();
        long grace = chart.statefulSet().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();

        try (TestDatabase database = PostgresFixture.createDatabase()) {
            List<PodProcess.Builder> pods = GridNodes.members(chart, root, 2);
            pods.forEach(pod -> ExternalDatabase.use(database, pod));
            try (PodProcess staying = pods.get(0).start(); PodProcess leaving = pods.get(1).start()) {
                GridNodes.awaitReady(staying);
                GridNodes.awaitReady(leaving);
                String readiness = leaving.probePath(container.getReadinessProbe());
                String liveness = leaving.probePath(container.getLivenessProbe());
                assertThat(leaving.get(readiness).body()).contains("\"members\":2");

                try (LatticeClient client = LatticeClient.builder()
                        .addresses("127.0.0.1:" + staying.override("lattice.network.port"), "127.0.0.1:" + leaving.override("lattice.network.port"))
                        .clusterName(staying.override("lattice.cluster-name")).build()) {
                    IMap<Integer, String> sessions = client.map("sessions");
                    IMap<Long, HazelcastJsonValue> orders = client.map("orders");
                    populate(sessions, orders);
                    long owned = partitionsOwnedBy(client, leaving);
                    assertThat(owned).as("partitions the leaving member owns").isPositive();
                    GridNodes.awaitReady(leaving);

                    Shutdown shutdown = sigterm(leaving, readiness, liveness, Duration.ofSeconds(grace));
                    log.info("SIGTERM to exit of a member owning {} of 271 partitions ({} sessions, {} write-behind orders in the grid): "
                            + "{} ms; rendered grace period {} s; {} probe rounds", owned, SESSIONS, ORDERS, shutdown.took().toMillis(), grace,
                            shutdown.seen().size());

                    assertThat(shutdown.exited()).as("exited within the rendered grace period of %d s; log:\n%s", grace, leaving.logTail()).isTrue();
                    assertThat(shutdown.took()).isLessThan(Duration.ofSeconds(grace));
                    assertThat(leaving.log()).contains("Shutting down grid member").contains("left the cluster");
                    assertProbesDuringShutdown(shutdown.seen());

                    assertThat(sessions.size()).isEqualTo(SESSIONS);
                    for (int i = 0; i < SESSIONS; i += 97) {
                        assertThat(sessions.get(i)).isEqualTo(session(i));
                    }
                    assertThat(orders.size()).isEqualTo(ORDERS);
                    await().atMost(Duration.ofSeconds(30)).until(() -> storedOrders(database) == ORDERS);
                }
            }
        }
    }

    /** What a SIGTERM did: whether the process exited within the wait, how long it took, the probe rounds meanwhile. */
    private record Shutdown(boolean exited, Duration took, List<ProbeWatch.Observation> seen) {
    }

    private static Shutdown sigterm(PodProcess node, String readiness, String liveness, Duration wait) throws InterruptedException {
        try (ProbeWatch watch = ProbeWatch.start(node, readiness, liveness)) {
            long sigterm = System.nanoTime();
            node.sigterm();
            boolean exited = node.waitFor(wait);
            Duration took = Duration.ofNanos(System.nanoTime() - sigterm);
            return new Shutdown(exited, took, watch.stop().stream().filter(o -> o.nanoTime() >= sigterm).toList());
        }
    }

    /**
     * Readiness went down while liveness still answered 200; liveness never answered anything else,
     * and stopped answering only at the very end (the web server stops last); readiness never came back.
     */
    private static void assertProbesDuringShutdown(List<ProbeWatch.Observation> seen) {
        assertThat(seen).as("probe rounds after SIGTERM").anyMatch(o -> o.readiness() == 503 && o.liveness() == 200);
        assertThat(seen).allSatisfy(o -> assertThat(o.liveness()).as("liveness during shutdown").isIn(200, -1));
        int firstSilence = indexOf(seen, o -> o.liveness() == -1);
        assertThat(seen.subList(firstSilence, seen.size())).as("liveness after the web server stopped").allMatch(o -> o.liveness() == -1);
        int firstNotReady = indexOf(seen, o -> o.readiness() != 200);
        assertThat(seen.subList(firstNotReady, seen.size())).as("readiness once down").noneMatch(o -> o.readiness() == 200);
    }

    private static int indexOf(List<ProbeWatch.Observation> seen, java.util.function.Predicate<ProbeWatch.Observation> condition) {
        for (int i = 0; i < seen.size(); i++) {
            if (condition.test(seen.get(i))) {
                return i;
            }
        }
        return seen.size();
    }

    private static void populate(IMap<Integer, String> sessions, IMap<Long, HazelcastJsonValue> orders) {
        Map<Integer, String> batch = new HashMap<>();
        for (int i = 0; i < SESSIONS; i++) {
            batch.put(i, session(i));
            if (batch.size() == 5_000) {
                sessions.putAll(batch);
                batch.clear();
            }
        }
        for (long id = 0; id < ORDERS; id++) {
            orders.set(id, new HazelcastJsonValue("{\"id\":" + id + ",\"total\":" + (id * 3) + "}"));
        }
    }

    private static String session(int i) {
        return "session-" + i + "-" + "x".repeat(100);
    }

    private static long partitionsOwnedBy(LatticeClient client, PodProcess node) {
        int port = Integer.parseInt(node.override("lattice.network.port"));
        return client.hazelcast().getPartitionService().getPartitions().stream()
                .map(Partition::getOwner).filter(owner -> owner != null && owner.getAddress().getPort() == port).count();
    }

    private static long storedOrders(TestDatabase database) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from orders")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
