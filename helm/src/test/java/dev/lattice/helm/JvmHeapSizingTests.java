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
    private static final Pattern INITIAL_HEAP = Pattern.compile("size_t InitialHeapSize\\s+=\\s+(\\d+)");

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

        String flags = finalFlags(options, limit);
        long heap = flag(MAX_HEAP, flags);

        double share = Integer.parseInt(percentage.group(1)) / 100.0;
        assertThat((double) heap).isCloseTo(limit * share, org.assertj.core.data.Percentage.withPercentage(2));
        assertThat(limit - heap).as("room outside the heap (metaspace, threads, embedded PostgreSQL)")
                .isGreaterThanOrEqualTo(512L * 1024 * 1024);
        // A grid node holds its data on the heap; starting small makes G1 collect and resize its way up
        // during the first load (a node loading 1M rows eagerly: 30 pauses, 1.8 s in all, against 13 and
        // 1.0 s with the heap sized up front).
        assertThat(flag(INITIAL_HEAP, flags)).as("initial heap").isEqualTo(heap);
    }

    private static String finalFlags(String toolOptions, long physicalMemory) throws IOException, InterruptedException {
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
        return output;
    }

    private static long flag(Pattern flag, String flags) {
        Matcher m = flag.matcher(flags);
        assertThat(m.find()).as("%s in\n%s", flag, flags).isTrue();
        return Long.parseLong(m.group(1));
    }
}
