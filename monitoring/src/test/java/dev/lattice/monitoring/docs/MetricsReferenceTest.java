package dev.lattice.monitoring.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Lattice metric the rules and dashboards query is in the metrics reference. */
class MetricsReferenceTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:lattice|cache)_[a-z_]+)");
    private static final Pattern SERIES_SUFFIX = Pattern.compile("_(bucket|count|sum|max)$");

    @Test
    void everyMetricInRulesAndDashboards_isInTheReference() throws IOException {
        String reference = Files.readString(Path.of("..", "docs", "metrics.md"));
        Set<String> used = new TreeSet<>();
        try (Stream<Path> dashboards = Files.list(Path.of("grafana", "dashboards"))) {
            for (Path file : Stream.concat(dashboards, Stream.of(Path.of("prometheus", "lattice-alerts.yaml"))).toList()) {
                Matcher matcher = METRIC.matcher(Files.readString(file));
                while (matcher.find()) {
                    used.add(SERIES_SUFFIX.matcher(matcher.group(1)).replaceFirst(""));
                }
            }
        }
        used.remove("lattice_dead_letter"); // the table's name in an alert description, not a metric

        assertThat(used).isNotEmpty().allSatisfy(metric -> assertThat(reference).as(metric).contains("`" + metric));
    }
}
