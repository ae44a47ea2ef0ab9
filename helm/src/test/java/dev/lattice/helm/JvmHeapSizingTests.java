package dev.lattice.helm;

import static dev.lattice.helm.ChartRenderingTests.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered JVM options, given to a real JVM that sees the rendered memory limit as its memory
 * (-XX:MaxRAM stands in for the container limit a JVM reads from its cgroup): the heap is the
 * configured share of the limit and leaves room for everything else in the container.
 */
class JvmHeapSizingTests {

    private static final Pattern MAX_HEAP = Pattern.compile("size_t MaxHeapSize\\s+=\\s+(\\d+)");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "all-features"})
    void heap_isTheConfiguredShareOfTheMemoryLimit(String scenario) throws Exception {
        RenderedChart chart = scenario.equals("defaults") ? HelmChart.defaults().render()
                : HelmChart.scenario(HelmChart.scenario(scenario)).render();
        Container container = chart.gridServer();
        long limit = Quantity.getAmountInBytes(container.getResources().getLimits().get("memory")).longValueExact();
        String options = env(container, "JAVA_TOOL_OPTIONS").getValue();
        Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(options);
        assertThat(percentage.find()).isTrue();

        long heap = maxHeapSize(options, limit);

        double share = Integer.parseInt(percentage.group(1)) / 100.0;
        assertThat((double) heap).isCloseTo(limit * share, org.assertj.core.data.Percentage.withPercentage(2));
        assertThat(limit - heap).as("room outside the heap (metaspace, threads, embedded PostgreSQL)")
                .isGreaterThanOrEqualTo(512L * 1024 * 1024);
    }

    private static long maxHeapSize(String toolOptions, long physicalMemory) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:MaxRAM=" + physicalMemory);
        command.add("-XX:+PrintFlagsFinal");
        command.add("-version");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_TOOL_OPTIONS", toolOptions);
        Process java = builder.start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as("the JVM accepts the rendered options:\n%s", output).isZero();
        Matcher m = MAX_HEAP.matcher(output);
        assertThat(m.find()).as("MaxHeapSize in\n%s", output).isTrue();
        return Long.parseLong(m.group(1));
    }
}
