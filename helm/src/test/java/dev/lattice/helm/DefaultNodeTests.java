package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's defaults, beyond rendering: the rendered ConfigMap, args and environment start a real
 * grid node (grid-server.jar in its own JVM, with the embedded PostgreSQL in the data volume), its
 * rendered probes answer, and the {@code helm test} script judges it correctly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefaultNodeTests {

    private Path root;
    private RenderedChart chart;
    private PodProcess node;

    @BeforeAll
    void startNode(@TempDir Path root) throws IOException {
        this.root = root;
        chart = HelmChart.defaults().render();
        node = GridNodes.members(chart, root, 1).get(0).start();
        GridNodes.awaitReady(node);
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void renderedProbes_answer200_onAReadyNode() {
        Container container = chart.gridServer();

        assertThat(node.status(node.probePath(container.getStartupProbe()))).isEqualTo(200);
        assertThat(node.status(node.probePath(container.getLivenessProbe()))).isEqualTo(200);
        var readiness = node.get(node.probePath(container.getReadinessProbe()));
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"members\":1", "\"clusterSafe\":true");
    }

    @Test
    void embeddedDatabase_keepsItsFilesInTheDataVolume() {
        assertThat(node.log()).contains("Map records is backed by table");
        assertThat(root.resolve("pod-0/volumes/data/postgres/PG_VERSION")).exists();
    }

    @Test
    void helmTestScript_passes_whenEveryMemberIsReadyInOneCluster() throws Exception {
        ScriptRun run = runHelmTestScript(Map.of("READINESS_URLS", readinessUrl()));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("all 1 members ready in one cluster of 1");
    }

    @Test
    void helmTestScript_fails_whenAMemberSeesFewerMembersThanReplicas() throws Exception {
        ScriptRun run = runHelmTestScript(Map.of("READINESS_URLS", readinessUrl(), "EXPECTED_MEMBERS", "2", "ATTEMPTS", "1"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("expected 2 ready members").contains("sees 1 members");
    }

    @Test
    void helmTestScript_fails_whenAMemberDoesNotAnswer() throws Exception {
        String missing = "http://127.0.0.1:" + dev.lattice.testsupport.FreePorts.one() + "/actuator/health/readiness";
        ScriptRun run = runHelmTestScript(Map.of("READINESS_URLS", readinessUrl() + " " + missing, "ATTEMPTS", "1"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains(missing + "(not ready)");
    }

    private String readinessUrl() {
        return node.url(node.probePath(chart.gridServer().getReadinessProbe())).toString();
    }

    record ScriptRun(int exitCode, String output) {
    }

    /** Runs the rendered {@code helm test} script with the machine's sh and wget, as the test pod's busybox would. */
    private ScriptRun runHelmTestScript(Map<String, String> env) throws Exception {
        String script = chart.get(ConfigMap.class, HelmChart.FULLNAME + "-tests").getData().get("cluster-size.sh");
        Path file = Files.writeString(root.resolve("cluster-size.sh"), script);
        ProcessBuilder builder = new ProcessBuilder("sh", file.toString()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process sh = builder.start();
        String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ScriptRun(sh.exitValue(), output);
    }
}
