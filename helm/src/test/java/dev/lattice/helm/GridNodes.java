package dev.lattice.helm;

import static org.awaitility.Awaitility.await;

import dev.lattice.testsupport.FreePorts;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/** Starting rendered grid nodes as local processes that find each other on loopback. */
final class GridNodes {

    /** Generous: a node starts in seconds, but CI machines are shared and slow. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private GridNodes() {
    }

    /** A unique cluster name, so a test member never joins another test's cluster. */
    static String clusterName() {
        return "helm-" + UUID.randomUUID();
    }

    /**
     * Builders for {@code count} members of one cluster: each its own free member and HTTP port,
     * all listing each other's member ports (TCP/IP discovery stands in for cluster DNS).
     */
    static List<PodProcess.Builder> members(RenderedChart chart, java.nio.file.Path root, int count) {
        List<Integer> ports = FreePorts.distinct(2 * count);
        String cluster = clusterName();
        String members = ports.subList(0, count).stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> PodProcess.of(chart, root.resolve("pod-" + i))
                .podName(HelmChart.FULLNAME + "-" + i)
                .override("lattice.cluster-name", cluster)
                .override("server.address", "127.0.0.1")
                .override("server.port", ports.get(count + i))
                .override("lattice.network.port", ports.get(i))
                .override("lattice.discovery.mode", "tcp-ip")
                .override("lattice.discovery.members", members)).toList();
    }

    /** Waits until the rendered readiness probe's path answers 200, failing fast (with the log) if the node exits. */
    static void awaitReady(PodProcess node) {
        String readiness = node.probePath(node.container().getReadinessProbe());
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .failFast("grid-server exited", () -> !node.isAlive())
                    .until(() -> node.status(readiness) == 200);
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError("grid node did not become ready; its log ends with:\n" + node.logTail(), e);
        }
    }
}
