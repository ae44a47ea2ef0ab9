package dev.lattice.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The shipped rule file and dashboards of the {@code monitoring} module, read for the live test. */
final class MonitoringFiles {

    static final Path MONITORING = Path.of("..", "monitoring");
    static final Path RULES = MONITORING.resolve("prometheus/lattice-alerts.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private MonitoringFiles() {
    }

    /** Each shipped alert's name and expression, in file order. */
    @SuppressWarnings("unchecked")
    static Map<String, String> alerts() throws IOException {
        Map<String, String> alerts = new LinkedHashMap<>();
        try (var reader = Files.newBufferedReader(RULES)) {
            Map<String, Object> file = new Yaml().load(reader);
            for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    if (rule.containsKey("alert")) {
                        alerts.put((String) rule.get("alert"), (String) rule.get("expr"));
                    }
                }
            }
        }
        return alerts;
    }

    static List<Dashboard> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(MONITORING.resolve("grafana/dashboards"))) {
            List<Dashboard> dashboards = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(new Dashboard(JSON.readTree(file.toFile())));
            }
            assertThat(dashboards).hasSize(4);
            return dashboards;
        }
    }

    /** A dashboard and how its variables resolve here: every node, every map, the right job. */
    record Dashboard(JsonNode json) {

        String uid() {
            return json.get("uid").asString();
        }

        List<String> queries() {
            List<String> queries = new ArrayList<>();
            json.get("panels").forEach(panel -> {
                if (panel.has("targets")) {
                    panel.get("targets").forEach(target -> queries.add(target.get("expr").asString()));
                }
            });
            return queries;
        }

        /** Replaces variables as Grafana would with "All" selected and a 1-minute rate interval. */
        String resolve(String text) {
            if (text == null) {
                return "{__name__=~\".+\"}";
            }
            String job = uid().equals("lattice-clients") ? "shop" : "lattice";
            return text.replace("$__rate_interval", "1m").replace("$job", job)
                    .replace("$instance", ".*").replace("$map", ".*");
        }
    }
}
