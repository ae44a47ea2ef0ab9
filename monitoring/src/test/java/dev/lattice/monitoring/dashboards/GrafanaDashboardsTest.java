package dev.lattice.monitoring.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The dashboards, checked as Grafana would need them, since no Grafana server can run here:
 * valid JSON, a data-source variable and no data source or instance written into any panel,
 * every variable a query uses defined, panels laid out on the 24-column grid without overlap,
 * every row described in docs/monitoring.md. Whether each query returns data is proven against
 * a live Prometheus by grid-server's {@code PrometheusLiveTests}.
 */
class GrafanaDashboardsTest {

    static final Path DASHBOARDS = Path.of("grafana", "dashboards");
    private static final Path PROVISIONING = Path.of("grafana", "provisioning");
    private static final Path MONITORING_DOC = Path.of("..", "docs", "monitoring.md");
    private static final Set<String> BUILT_IN_VARIABLES = Set.of("__rate_interval", "__interval", "__range");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void fourDashboards_withUniqueUidsAndTheLatticeTag() throws IOException {
        List<JsonNode> dashboards = dashboards();
        Set<String> uids = new HashSet<>();

        assertThat(dashboards).hasSize(4).allSatisfy(dashboard -> {
            assertThat(uids.add(dashboard.get("uid").asString())).as("unique uid").isTrue();
            assertThat(dashboard.get("title").asString()).startsWith("Lattice / ");
            assertThat(dashboard.get("tags").toString()).contains("\"lattice\"");
            assertThat(dashboard.get("description").asString()).isNotBlank();
            assertThat(dashboard.has("id")).as("no instance-specific id").isFalse();
        });
    }

    @Test
    void everyPanel_usesTheDataSourceVariable() throws IOException {
        for (JsonNode dashboard : dashboards()) {
            JsonNode datasource = variables(dashboard).stream()
                    .filter(variable -> variable.get("name").asString().equals("datasource")).findFirst().orElseThrow();
            assertThat(datasource.get("type").asString()).isEqualTo("datasource");
            assertThat(datasource.get("query").asString()).isEqualTo("prometheus");
            for (JsonNode panel : panels(dashboard)) {
                assertThat(panel.get("datasource").get("uid").asString()).as(title(panel)).isEqualTo("${datasource}");
                for (JsonNode target : panel.get("targets")) {
                    assertThat(target.get("datasource").get("uid").asString()).as(title(panel)).isEqualTo("${datasource}");
                }
            }
        }
    }

    @Test
    void noInstanceHostOrPortIsWrittenIntoADashboard() throws IOException {
        for (Path file : files()) {
            String text = Files.readString(file);
            assertThat(text).as(file.toString())
                    .doesNotContainPattern("instance=~?\\\\\"(?!\\$instance)")
                    .doesNotContainPattern("\\b\\d{1,3}(\\.\\d{1,3}){3}\\b")
                    .doesNotContainPattern("[A-Za-z0-9]:\\d{2,5}\\b")
                    .doesNotContain("localhost");
        }
    }

    @Test
    void everyQuery_usesOnlyDefinedVariables() throws IOException {
        for (JsonNode dashboard : dashboards()) {
            Set<String> defined = new HashSet<>(BUILT_IN_VARIABLES);
            variables(dashboard).forEach(variable -> defined.add(variable.get("name").asString()));
            for (String query : queries(dashboard)) {
                Matcher matcher = VARIABLE.matcher(query);
                while (matcher.find()) {
                    assertThat(defined).as(dashboard.get("uid").asString() + ": " + query).contains(matcher.group(1));
                }
            }
        }
    }

    @Test
    void everyPanel_hasTitleDescriptionAndDistinctRefIds() throws IOException {
        for (JsonNode dashboard : dashboards()) {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.get("panels")) {
                assertThat(ids.add(panel.get("id").asInt())).as("unique panel id " + panel.get("id")).isTrue();
            }
            for (JsonNode panel : panels(dashboard)) {
                assertThat(title(panel)).isNotBlank();
                assertThat(panel.get("description").asString()).as(title(panel)).isNotBlank();
                Set<String> refIds = new HashSet<>();
                assertThat(panel.get("targets")).as(title(panel)).isNotEmpty();
                for (JsonNode target : panel.get("targets")) {
                    assertThat(refIds.add(target.get("refId").asString())).as(title(panel)).isTrue();
                    assertThat(target.get("expr").asString()).as(title(panel)).isNotBlank();
                }
            }
        }
    }

    @Test
    void panels_fitTheGridWithoutOverlapping() throws IOException {
        for (JsonNode dashboard : dashboards()) {
            List<int[]> placed = new ArrayList<>();
            for (JsonNode panel : dashboard.get("panels")) {
                JsonNode grid = panel.get("gridPos");
                int x = grid.get("x").asInt();
                int y = grid.get("y").asInt();
                int w = grid.get("w").asInt();
                int h = grid.get("h").asInt();
                assertThat(x + w).as(title(panel)).isLessThanOrEqualTo(24);
                for (int[] other : placed) {
                    boolean overlaps = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
                    assertThat(overlaps).as(title(panel) + " overlaps another panel").isFalse();
                }
                placed.add(new int[] {x, y, w, h});
            }
        }
    }

    @Test
    void everyRow_isDescribedInTheMonitoringGuide() throws IOException {
        String guide = Files.readString(MONITORING_DOC);
        for (JsonNode dashboard : dashboards()) {
            assertThat(guide).contains(dashboard.get("title").asString());
            for (JsonNode panel : dashboard.get("panels")) {
                if (panel.get("type").asString().equals("row")) {
                    assertThat(guide).as(dashboard.get("title").asString()).contains("**" + title(panel) + "**");
                }
            }
        }
    }

    @Test
    void provisioning_loadsTheDashboardFolderAndAPrometheusDataSource() throws IOException {
        Map<String, Object> dashboards = yaml(PROVISIONING.resolve("dashboards/lattice.yaml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> provider = ((List<Map<String, Object>>) dashboards.get("providers")).get(0);
        assertThat(provider).containsEntry("type", "file");
        assertThat(provider.get("options").toString()).contains("path=/var/lib/grafana/dashboards/lattice");

        Map<String, Object> datasources = yaml(PROVISIONING.resolve("datasources/prometheus.yaml"));
        assertThat(datasources.get("datasources").toString()).contains("type=prometheus");
    }

    /** Every panel query of every dashboard, as written (variables not yet replaced). */
    static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            panel.get("targets").forEach(target -> queries.add(target.get("expr").asString()));
        }
        return queries;
    }

    static List<JsonNode> variables(JsonNode dashboard) {
        List<JsonNode> variables = new ArrayList<>();
        dashboard.get("templating").get("list").forEach(variables::add);
        return variables;
    }

    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> {
            if (!panel.get("type").asString().equals("row")) {
                panels.add(panel);
            }
        });
        return panels;
    }

    private List<JsonNode> dashboards() throws IOException {
        List<JsonNode> dashboards = new ArrayList<>();
        for (Path file : files()) {
            dashboards.add(json.readTree(file.toFile()));
        }
        return dashboards;
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static String title(JsonNode panel) {
        return panel.get("title").asString();
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (var reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }
}
