package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.lattice.client.LatticeClient;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TcpProxy;
import dev.lattice.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production scenario ({@code ci/external-database-values.yaml}: 3 replicas, an external
 * PostgreSQL, a data claim per pod, split-brain protection at the rendered majority of 2) through
 * what Kubernetes does to its pods, on real nodes started from the rendered chart: pods created one
 * at a time, a pod deleted on scale-down or rolling restart (SIGTERM to a member holding data), and
 * the last pod stopping while the database is down, then created again on its claim.
 *
 * <p>The steps run in order on one grid (a node start costs seconds of CPU on a shared machine).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductionScenarioTests {

    private static final Logger log = LoggerFactory.getLogger(ProductionScenarioTests.class);
    private static final int SESSIONS = 50_000;
    private static final int ORDERS = 2_000;
    private static final int ORDERS_DURING_OUTAGE = 500;

    private RenderedChart chart;
    private Duration grace;
    private String readiness;
    private String liveness;
    private TestDatabase database;
    private TcpProxy databaseLink;
    private List<PodProcess.Builder> pods;
    private final PodProcess[] running = new PodProcess[3];

    @BeforeAll
    void renderAndPrepare(@TempDir Path root) {
        chart = HelmChart.scenario(HelmChart.scenario("external-database")).render();
        grace = Duration.ofSeconds(chart.statefulSet().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
        readiness = chart.gridServer().getReadinessProbe().getHttpGet().getPath();
        liveness = chart.gridServer().getLivenessProbe().getHttpGet().getPath();
        database = PostgresFixture.createDatabase();
        databaseLink = ExternalDatabase.proxyTo(database);
        pods = GridNodes.members(chart, root, 3);
        pods.forEach(pod -> ExternalDatabase.use(database, databaseLink, pod));
    }

    @AfterAll
    void stopEverything() {
        for (PodProcess node : running) {
            if (node != null) {
                node.close();
            }
        }
        if (databaseLink != null) {
            databaseLink.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @Order(1)
    void firstPod_alone_becomesReady_butRefusesWritesBelowTheRenderedMajority() throws IOException {
        assertThat(chart.config().get("lattice.split-brain-protection.minimum-cluster-size")).isEqualTo(2);

        // OrderedReady: pod 0 is created alone, and pod 1 only once pod 0 is ready.
        long start = System.nanoTime();
        running[0] = pods.get(0).start();
        GridNodes.awaitReady(running[0]);
        log.info("pod 0 ready alone in {} ms", (System.nanoTime() - start) / 1_000_000);
        assertThat(running[0].get(readiness).body()).contains("\"members\":1");

        try (LatticeClient client = client(0)) {
            IMap<Integer, String> sessions = client.map("sessions");
            assertThatThrownBy(() -> sessions.set(1, session(1))).isInstanceOf(SplitBrainProtectionException.class);
            assertThat(sessions.get(1)).as("reads still work").isNull();
        }
    }

    @Test
    @Order(2)
    void podsJoiningTheFirst_formOneClusterOfThree_thatAcceptsWrites() throws IOException {
        // The StatefulSet creates pod 2 after pod 1 is ready; starting both now only saves time:
        // each joins the running cluster either way.
        long start = System.nanoTime();
        running[1] = pods.get(1).start();
        running[2] = pods.get(2).start();
        GridNodes.awaitReady(running[1]);
        GridNodes.awaitReady(running[2]);
        log.info("pods 1 and 2 ready in {} ms", (System.nanoTime() - start) / 1_000_000);
        for (PodProcess node : running) {
            assertThat(node.get(readiness).body()).contains("\"members\":3");
        }

        try (LatticeClient client = client(0, 1, 2)) {
            IMap<Integer, String> sessions = client.map("sessions");
            sessions.set(1, session(1));
            assertThat(sessions.get(1)).isEqualTo(session(1));
        }
    }

    /**
     * Scale-down and rolling restarts delete the highest ordinal first. The rendered probes must keep
     * the member alive but out of traffic while it hands over its partitions, it must be gone well
     * within the rendered grace period, and the two left (a majority) keep storing writes.
     */
    @Test
    @Order(3)
    void sigterm_takesTheMemberOutOfTrafficButKeepsItAlive_untilItLeavesWithinTheGracePeriod() throws Exception {
        PodProcess leaving = running[2];
        try (LatticeClient client = client(0, 1, 2)) {
            IMap<Integer, String> sessions = client.map("sessions");
            IMap<Long, HazelcastJsonValue> orders = client.map("orders");
            long start = System.nanoTime();
            populate(sessions, orders);
            log.info("{} sessions and {} orders written in {} ms", SESSIONS, ORDERS, (System.nanoTime() - start) / 1_000_000);
            long owned = partitionsOwnedBy(client, leaving);
            assertThat(owned).as("partitions the leaving member owns").isPositive();
            GridNodes.awaitReady(leaving);

            Shutdowns.Shutdown shutdown = Shutdowns.sigterm(leaving, readiness, liveness, grace);
            log.info("SIGTERM to exit of a member owning {} of 271 partitions ({} sessions, {} write-behind orders in the grid): "
                    + "{} ms; rendered grace period {} s; {} probe rounds", owned, SESSIONS, ORDERS, shutdown.took().toMillis(),
                    grace.toSeconds(), shutdown.seen().size());

            assertThat(shutdown.exited()).as("exited within the rendered grace period of %s; log:\n%s", grace, leaving.logTail()).isTrue();
            assertThat(shutdown.took()).isLessThan(grace);
            assertThat(leaving.log()).contains("Shutting down grid member").contains("left the cluster");
            Shutdowns.assertProbesDuringShutdown(shutdown.seen());

            assertThat(sessions.size()).isEqualTo(SESSIONS);
            for (int i = 0; i < SESSIONS; i += 97) {
                assertThat(sessions.get(i)).isEqualTo(session(i));
            }
            assertThat(orders.size()).isEqualTo(ORDERS);
            await().atMost(Duration.ofSeconds(30)).until(() -> OrdersTable.stored(database) == ORDERS);
        }
    }

    /**
     * The last pod has nobody to hand its write-behind queue to: with the database down it saves it
     * to the rendered spool directory, which must be on the pod's claim, and the same pod created
     * again on that claim writes it out with nobody touching the map. On an emptyDir (or the image's
     * read-only root) the writes would be gone with the pod.
     */
    @Test
    @Order(4)
    void lastPodStoppingWithTheDatabaseDown_savesItsWritesOnItsClaim_andItsNextStartWritesThemOut() throws Exception {
        Path spool = pods.get(0).localPath(chart.config().string("lattice.datasource.spool-directory"));
        Path claim = pods.get(0).localPath(ChartRenderingTests.mountOfVolume(chart.gridServer(), "data").getMountPath());
        assertThat(spool).as("spool directory on this pod's data volume").startsWith(claim);
        assertThat(chart.statefulSet().getSpec().getVolumeClaimTemplates()).as("the data volume is a claim")
                .anyMatch(template -> template.getMetadata().getName().equals("data"));

        databaseLink.cut();
        try (LatticeClient client = client(0, 1)) {
            IMap<Long, HazelcastJsonValue> orders = client.map("orders");
            for (long id = ORDERS; id < ORDERS + ORDERS_DURING_OUTAGE; id++) {
                orders.set(id, order(id));
            }
        }
        for (int pod : new int[] {1, 0}) {
            long sigterm = System.nanoTime();
            running[pod].sigterm();
            assertThat(running[pod].waitFor(grace)).as("pod %d exits within the grace period; log:\n%s", pod, running[pod].logTail()).isTrue();
            log.info("pod {} stopped with the database down in {} ms", pod, (System.nanoTime() - sigterm) / 1_000_000);
        }
        List<Path> saved = spoolFiles(spool);
        assertThat(saved).as("the last pod's unstored writes, on its claim").isNotEmpty();

        databaseLink.restore();
        long start = System.nanoTime();
        running[0] = pods.get(0).start();
        GridNodes.awaitReady(running[0]);
        log.info("pod 0 ready again on its claim in {} ms", (System.nanoTime() - start) / 1_000_000);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            OrdersTable.Outcome outcome = OrdersTable.outcome(database, ORDERS, ORDERS + ORDERS_DURING_OUTAGE);
            assertThat(outcome.missing()).as("orders written during the outage in neither the table nor the dead letters").isEmpty();
            assertThat(outcome.wrongValues()).as("orders in the table with another value").isEmpty();
            log.info("after the restart on the claim: {} outage orders in the table, {} in the dead-letter table", outcome.stored(),
                    outcome.deadLettered());
        });
        assertThat(spoolFiles(spool)).as("the spool is emptied once written out").isEmpty();
    }

    private LatticeClient client(int... members) {
        String[] addresses = java.util.Arrays.stream(members)
                .mapToObj(i -> "127.0.0.1:" + running[i].override("lattice.network.port")).toArray(String[]::new);
        return LatticeClient.builder().addresses(addresses).clusterName(running[members[0]].override("lattice.cluster-name")).build();
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
            orders.set(id, order(id));
        }
    }

    static HazelcastJsonValue order(long id) {
        return new HazelcastJsonValue("{\"id\":" + id + ",\"total\":" + (id * 3) + "}");
    }

    private static String session(int i) {
        return "session-" + i + "-" + "x".repeat(100);
    }

    private static long partitionsOwnedBy(LatticeClient client, PodProcess node) {
        int port = Integer.parseInt(node.override("lattice.network.port"));
        return client.hazelcast().getPartitionService().getPartitions().stream()
                .map(Partition::getOwner).filter(owner -> owner != null && owner.getAddress().getPort() == port).count();
    }

    private static List<Path> spoolFiles(Path spool) throws IOException {
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(spool)) {
            return new ArrayList<>(files.filter(file -> file.toString().endsWith(".spool")).toList());
        }
    }
}
