package dev.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lattice.testsupport.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes started at the same moment on the zero-setup default: no database configured, one working
 * directory, so they share the embedded PostgreSQL one of them starts. All must start, form one
 * cluster and persist. (Concurrent starts on a configured database are part of every other
 * scenario, which starts its three nodes together on a fresh database.)
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConcurrentStartFaultTests {

    @Test
    void threeNodesStartedTogetherOnTheEmbeddedDefault_allStartAndFormOneCluster(@TempDir Path work) {
        String cluster = "faults-embedded-" + UUID.randomUUID().toString().substring(0, 8);
        // Member and HTTP ports together, all distinct (see Grid.of).
        List<Integer> all = FreePorts.distinct(6);
        List<Integer> ports = all.subList(0, 3);
        String members = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        Path logs = Path.of(System.getProperty("faults.logs", "target/fault-logs")).resolve("embedded-concurrent-start");
        List<GridProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                int httpPort = all.get(3 + i);
                nodes.add(new GridProcess("node-" + i, ports.get(i), httpPort, List.of(
                        "--lattice.cluster-name=" + cluster,
                        "--lattice.network.port=" + ports.get(i),
                        "--lattice.network.port-auto-increment=false",
                        "--lattice.discovery.members=" + members,
                        "--lattice.initial-min-cluster-size=3",
                        "--server.port=" + httpPort,
                        "--spring.main.banner-mode=off"), logs.resolve("node-" + i + ".log"), work));
            }
            nodes.forEach(GridProcess::start);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> nodes.stream().allMatch(GridProcess::ready));
            assertThat(work.resolve("data/postgres/postmaster.pid")).as("one shared embedded server").exists();
        } finally {
            // Graceful stops, so the last node stops the shared server; then make sure it is gone.
            nodes.forEach(GridProcess::terminate);
            nodes.forEach(node -> node.waitFor(Duration.ofSeconds(60)));
            nodes.forEach(GridProcess::close);
            stopLeftoverServer(work.resolve("data/postgres/postmaster.pid"));
        }
    }

    private static void stopLeftoverServer(Path pidFile) {
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            }
        } catch (IOException | RuntimeException e) {
            // Nothing left to stop.
        }
    }
}
