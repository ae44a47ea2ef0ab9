package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring objects (all-features scenario) carry the monitoring module's rules and dashboards
 * as they are, and fit them: the rendered rules still pass the module's promtool unit tests, and the
 * ServiceMonitor gives the scraped grid nodes the job label the rules select.
 */
class ChartMonitoringTests {

    private static final Path FILES = HelmChart.DIR.resolve("files");
    private static final Path MONITORING = Path.of(System.getProperty("lattice.monitoring.dir", "../monitoring")).toAbsolutePath().normalize();
    private static final Pattern JOB_SELECTOR = Pattern.compile("job=\"([^\"]+)\"");

    private final RenderedChart chart = HelmChart.scenario(HelmChart.scenario("all-features")).render();

    @Test
    void prometheusRule_carriesEveryRuleGroupOfTheMonitoringFiles() throws IOException {
        GenericKubernetesResource rule = chart.all("PrometheusRule").get(0);

        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
        assertThat(rule.<Object>get("spec", "groups")).isEqualTo(ruleGroupsOfFiles());
        assertThat(ruleGroupsOfFiles()).map(group -> String.valueOf(((Map<?, ?>) group).get("name")))
                .as("the monitoring module's groups, not a placeholder").contains("lattice-cluster");
    }

    @Test
    void prometheusRule_renderedGroups_passTheMonitoringModulesPromtoolTests(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rendered-rules.yaml");
        RenderedChart.YAML.writeValue(rules.toFile(), Map.of("groups", chart.all("PrometheusRule").get(0).get("spec", "groups")));
        List<String> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(MONITORING.resolve("prometheus").resolve("tests"))) {
            for (Path test : files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList()) {
                // The same inputs and expectations, evaluated against the rules as the chart renders them.
                @SuppressWarnings("unchecked")
                Map<String, Object> content = new LinkedHashMap<>(RenderedChart.YAML.readValue(test.toFile(), Map.class));
                content.put("rule_files", List.of(rules.getFileName().toString()));
                RenderedChart.YAML.writeValue(dir.resolve(test.getFileName()).toFile(), content);
                tests.add(test.getFileName().toString());
            }
        }
        assertThat(tests).as("promtool tests of the monitoring module").isNotEmpty();

        Promtool.Result check = Promtool.run(dir, List.of("check", "rules", rules.getFileName().toString()));
        assertThat(check.exitCode()).as(check.output()).isZero();
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        args.addAll(tests);
        Promtool.Result test = Promtool.run(dir, args);
        assertThat(test.exitCode()).as(test.output()).isZero();
    }

    @Test
    void serviceMonitor_scrapesThePrometheusEndpointOfEveryMember() {
        GenericKubernetesResource monitor = chart.all("ServiceMonitor").get(0);
        @SuppressWarnings("unchecked")
        Map<String, String> selected = (Map<String, String>) monitor.get("spec", "selector", "matchLabels");
        Service headless = chart.get(Service.class, HelmChart.FULLNAME + "-headless");

        assertThat(headless.getMetadata().getLabels()).as("the ServiceMonitor selects the headless service (all members)")
                .containsAllEntriesOf(selected);
        assertThat(chart.all(Service.class)).filteredOn(s -> s.getMetadata().getLabels().entrySet().containsAll(selected.entrySet()))
                .hasSize(1);
        assertThat(monitor.<Object>get("spec", "endpoints", 0, "port")).isEqualTo("http");
        assertThat(headless.getSpec().getPorts()).anyMatch(port -> port.getName().equals("http"));
        assertThat(monitor.<Object>get("spec", "endpoints", 0, "path")).isEqualTo("/actuator/prometheus");
    }

    /** The Operator would name the job after the Service; the rules would then never match a grid node. */
    @Test
    void serviceMonitor_givesTheJobLabelTheRulesSelect() throws IOException {
        GenericKubernetesResource monitor = chart.all("ServiceMonitor").get(0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> relabelings = (List<Map<String, Object>>) monitor.get("spec", "endpoints", 0, "relabelings");

        assertThat(relabelings).as("relabelings of the scrape endpoint").isNotNull();
        Map<String, Object> job = relabelings.stream().filter(r -> "job".equals(r.get("targetLabel"))).findFirst()
                .orElseThrow(() -> new AssertionError("no relabeling sets the job label: " + relabelings));
        assertThat(job.get("sourceLabels")).as("a fixed value").isNull();
        assertThat(jobsSelectedByTheRules()).containsExactly((String) job.get("replacement"));
    }

    @Test
    void dashboardsConfigMap_carriesEveryDashboardFile_withTheSidecarLabel() throws IOException {
        ConfigMap dashboards = chart.get(ConfigMap.class, HelmChart.FULLNAME + "-dashboards");

        assertThat(dashboards.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboards.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Lattice");
        try (Stream<Path> files = Files.list(FILES.resolve("grafana"))) {
            List<Path> json = files.toList();
            assertThat(dashboards.getData()).hasSize(json.size());
            for (Path file : json) {
                String name = file.getFileName().toString();
                assertThat(dashboards.getData().get(name)).isEqualTo(Files.readString(file).strip());
                assertThat(RenderedChart.YAML.readTree(dashboards.getData().get(name)).get("uid").asText())
                        .as("still a dashboard after rendering").isNotBlank();
            }
        }
        assertThat(dashboards.getData()).as("the monitoring module's dashboards, not a placeholder")
                .containsKeys("lattice-cluster.json", "lattice-maps.json", "lattice-clients.json", "lattice-loader.json");
        int bytes = dashboards.getData().values().stream().mapToInt(String::length).sum();
        assertThat(bytes).as("a ConfigMap holds at most 1 MiB").isLessThan(1024 * 1024);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> ruleGroupsOfFiles() throws IOException {
        List<Object> groups = new ArrayList<>();
        for (Path file : ruleFiles()) {
            groups.addAll((List<Object>) RenderedChart.YAML.readValue(file.toFile(), Map.class).get("groups"));
        }
        return groups;
    }

    private static Set<String> jobsSelectedByTheRules() throws IOException {
        Set<String> jobs = new TreeSet<>();
        for (Path file : ruleFiles()) {
            Matcher m = JOB_SELECTOR.matcher(Files.readString(file));
            while (m.find()) {
                jobs.add(m.group(1));
            }
        }
        return jobs;
    }

    private static List<Path> ruleFiles() throws IOException {
        try (Stream<Path> files = Files.list(FILES.resolve("prometheus"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
