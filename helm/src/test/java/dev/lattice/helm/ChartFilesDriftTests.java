package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A chart can read only files inside its own directory, so the monitoring module's Prometheus rules
 * and Grafana dashboards live in {@code helm/lattice/files/} as copies. These tests fail as soon as
 * a copy and its source differ, or a source has no copy, naming the command that fixes it.
 */
class ChartFilesDriftTests {

    private static final Path CHART_FILES = HelmChart.DIR.resolve("files");
    private static final Path MONITORING = Path.of(System.getProperty("lattice.monitoring.dir", "../monitoring")).toAbsolutePath().normalize();

    @Test
    void everyRuleFileCopy_isIdenticalToItsSource() throws IOException {
        List<String> drift = new ArrayList<>();
        for (Path copy : files(CHART_FILES.resolve("prometheus"), ".yaml", false)) {
            Path source = MONITORING.resolve("prometheus").resolve(copy.getFileName());
            if (Files.exists(source)) {
                compare(copy, source, drift);
            }
        }
        assertThat(drift).isEmpty();
    }

    @Test
    void everyDashboardCopy_isIdenticalToItsSource() throws IOException {
        List<String> drift = new ArrayList<>();
        List<Path> sources = files(MONITORING.resolve("grafana"), ".json", true);
        for (Path copy : files(CHART_FILES.resolve("grafana"), ".json", false)) {
            List<Path> same = sources.stream().filter(source -> source.getFileName().equals(copy.getFileName())).toList();
            assertThat(same).as("dashboards named %s under %s", copy.getFileName(), MONITORING.resolve("grafana")).hasSizeLessThan(2);
            if (same.size() == 1) {
                compare(copy, same.get(0), drift);
            }
        }
        assertThat(drift).isEmpty();
    }

    @Test
    void everyMonitoringRuleFileAndDashboard_hasACopyInTheChart() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path source : files(MONITORING.resolve("prometheus"), ".yaml", false)) {
            requireCopy(source, CHART_FILES.resolve("prometheus"), missing);
        }
        for (Path source : files(MONITORING.resolve("grafana"), ".json", true)) {
            requireCopy(source, CHART_FILES.resolve("grafana"), missing);
        }
        assertThat(missing).isEmpty();
    }

    private static void compare(Path copy, Path source, List<String> drift) throws IOException {
        if (!Arrays.equals(Files.readAllBytes(copy), Files.readAllBytes(source))) {
            drift.add(copy + " differs from " + source + ": cp " + source + " " + copy);
        }
    }

    private static void requireCopy(Path source, Path copies, List<String> missing) {
        Path copy = copies.resolve(source.getFileName());
        if (!Files.exists(copy)) {
            missing.add(source + " has no copy in the chart: cp " + source + " " + copy);
        }
    }

    private static List<Path> files(Path dir, String suffix, boolean recursive) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(file -> file.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
