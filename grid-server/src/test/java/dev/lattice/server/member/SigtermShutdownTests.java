package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lattice.server.GridNode;
import dev.lattice.server.GridServerApplication;
import dev.lattice.testsupport.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grid node in its own JVM gets SIGTERM, as Kubernetes sends it: Spring, not Hazelcast's own
 * JVM hook, shuts the member down, so its partitions reach the surviving node before it exits.
 */
class SigtermShutdownTests {

    private static final int ENTRIES = 5_000;

    @Test
    void sigterm_migratesTheNodesDataBeforeTheProcessExits(@TempDir Path logs) throws Exception {
        List<Integer> ports = FreePorts.distinct(2);
        String cluster = "--lattice.cluster-name=sigterm-" + UUID.randomUUID();
        String members = "--lattice.discovery.members=127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1);
        String noBackups = "--lattice.maps.orders.backup-count=0";
        try (GridNode staying = GridNode.start(cluster, members, noBackups, "--lattice.network.port=" + ports.get(0))) {
            Path log = logs.resolve("child.log");
            int childHttpPort = FreePorts.one();
            Process child = startChildNode(log, cluster, members, noBackups, "--lattice.network.port=" + ports.get(1),
                    "--server.port=" + childHttpPort);
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> staying.member().getCluster().getMembers().size() == 2);
                // SIGTERM a node that finished starting, as an operator stopping a running node would.
                await().atMost(Duration.ofSeconds(90)).until(() -> readiness(childHttpPort) == 200);
                // Partitions move to a joining member after it joined: wait until the child owns some.
                await().atMost(Duration.ofSeconds(60)).until(() -> staying.member().getPartitionService().isClusterSafe()
                        && staying.member().getPartitionService().getPartitions().stream()
                                .anyMatch(p -> p.getOwner() != null && !p.getOwner().localMember()));
                Map<Integer, String> batch = new HashMap<>();
                for (int i = 0; i < ENTRIES; i++) {
                    batch.put(i, "order-" + i);
                }
                staying.member().<Integer, String>getMap("orders").putAll(batch);
                // The child must own data, or this test would prove nothing.
                assertThat(staying.member().getMap("orders").getLocalMapStats().getOwnedEntryCount()).isLessThan(ENTRIES);

                child.destroy(); // SIGTERM

                assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child exited").isTrue();
            } finally {
                child.destroyForcibly();
            }
            assertThat(Files.readString(log)).contains("Shutting down grid member").contains("left the cluster");
            await().atMost(Duration.ofSeconds(30)).until(() -> staying.member().getCluster().getMembers().size() == 1);
            Map<Integer, String> orders = staying.member().getMap("orders");
            assertThat(orders).hasSize(ENTRIES);
            for (int i = 0; i < ENTRIES; i++) {
                assertThat(orders.get(i)).isEqualTo("order-" + i);
            }
        }
    }

    private static int readiness(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static Process startChildNode(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-") || arg.startsWith("-Djava.net"))
                .forEach(command::add);
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GridServerApplication.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(new File(System.getProperty("user.dir"))).start();
    }
}
