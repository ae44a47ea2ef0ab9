package dev.lattice.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The shipped dashboards and alert rules against a real Prometheus scraping a live grid: three
 * in-JVM grid nodes sharing one PostgreSQL database, an application's client meters, and a
 * loader writing behind, all doing work. Every panel query and every alert expression is
 * evaluated through Prometheus' HTTP API; then a node stops and the member-missing alert must
 * go pending and then fire.
 *
 * <p>The rules are the shipped file with every {@code for} shortened to {@link #TEST_FOR} and
 * evaluated every second, so the test takes seconds, not minutes; the shipped {@code for} values
 * are pinned by the promtool tests in {@code monitoring/prometheus/tests}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusLiveTests {

    private static final String TEST_FOR = "10s";
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((?:(.*),\\s*)?(\\w+)\\)");
    private static final Duration DATA_WAIT = Duration.ofSeconds(90);

    private static final List<GridNode> nodes = new ArrayList<>();
    private static TestDatabase database;
    private static ClientApplication application;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void startGridClientAndPrometheus() throws IOException {
        String cluster = "prometheus-" + UUID.randomUUID();
        List<Integer> memberPorts = FreePorts.distinct(3);
        String members = memberPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
        database = PostgresFixture.createDatabase();
        for (int port : memberPorts) {
            List<String> args = new ArrayList<>(List.of("--lattice.cluster-name=" + cluster,
                    "--lattice.network.port=" + port, "--lattice.network.port-auto-increment=false",
                    "--lattice.discovery.members=" + members,
                    "--lattice.maps.orders.store.mode=write-behind", "--lattice.maps.orders.store.key-type=long",
                    "--lattice.maps.poison.store.mode=write-behind", "--lattice.maps.poison.store.max-attempts=2",
                    "--lattice.maps.prices.backup-count=1"));
            args.addAll(GridNode.datasource(database));
            nodes.add(GridNode.start(args.toArray(String[]::new)));
        }
        application = new ClientApplication(memberPorts.stream().map(port -> "127.0.0.1:" + port).toList(), cluster);
        application.writePoison();

        String targets = nodes.stream().map(node -> "'127.0.0.1:" + node.httpPort() + "'").collect(Collectors.joining(", "));
        String config = """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - rules.yaml
                scrape_configs:
                  - job_name: lattice
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: [%s]
                  - job_name: shop
                    metrics_path: /metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(targets, application.port());
        prometheus = PrometheusServer.start(config, testRules());
    }

    /** The shipped rules with every {@code for} shortened; nothing else changes. */
    private static String testRules() throws IOException {
        String shipped = Files.readString(MonitoringFiles.RULES);
        String rules = shipped.replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: " + TEST_FOR);
        assertThat(rules).isNotEqualTo(shipped);
        return rules;
    }

    @AfterAll
    static void stopEverything() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (application != null) {
            application.close();
        }
        nodes.forEach(GridNode::close);
        if (database != null) {
            database.close();
        }
    }

    @Test
    @Order(1)
    void everyDashboardPanelQuery_parsesAndReturnsData() throws IOException {
        Map<String, String> waiting = new LinkedHashMap<>();
        for (MonitoringFiles.Dashboard dashboard : MonitoringFiles.dashboards()) {
            for (String query : dashboard.queries()) {
                String promql = dashboard.resolve(query);
                prometheus.query(promql); // throws unless it parses and evaluates
                waiting.put(promql, dashboard.uid());
            }
        }
        assertThat(waiting).hasSizeGreaterThan(40);

        await("every panel query returns data").atMost(DATA_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            waiting.keySet().removeIf(promql -> !prometheus.query(promql).get("result").isEmpty());
            assertThat(waiting).as("panel queries without data (query -> dashboard)").isEmpty();
        });
    }

    @Test
    @Order(2)
    void everyDashboardVariableQuery_findsValues() throws IOException {
        for (MonitoringFiles.Dashboard dashboard : MonitoringFiles.dashboards()) {
            for (JsonNode variable : dashboard.json().get("templating").get("list")) {
                if (!variable.get("type").asString().equals("query")) {
                    continue;
                }
                Matcher matcher = LABEL_VALUES.matcher(variable.get("definition").asString());
                assertThat(matcher.matches()).as(variable.get("definition").asString()).isTrue();
                String selector = dashboard.resolve(matcher.group(1));
                await(dashboard.uid() + " variable " + variable.get("name").asString()).atMost(DATA_WAIT)
                        .untilAsserted(() -> assertThat(prometheus.labelValues(matcher.group(2), selector)).isNotEmpty());
            }
        }
    }

    @Test
    @Order(3)
    void everyAlertExpression_parsesAndEvaluatesWithoutError() throws IOException {
        Map<String, String> shipped = MonitoringFiles.alerts();
        assertThat(shipped).hasSizeGreaterThanOrEqualTo(12);
        shipped.values().forEach(prometheus::query); // throws unless each parses and evaluates
        await("every rule evaluated").atMost(DATA_WAIT).untilAsserted(() -> {
            List<JsonNode> rules = rules();
            assertThat(rules).extracting(rule -> rule.get("name").asString()).containsExactlyInAnyOrderElementsOf(shipped.keySet());
            assertThat(rules).allSatisfy(rule -> assertThat(rule.get("health").asString())
                    .as(rule.get("name").asString() + ": " + rule.path("lastError").asString()).isEqualTo("ok"));
        });
    }

    @Test
    @Order(4)
    void poisonEntry_firesTheDeadLetterAlert_whileTheHealthyGridFiresNoMemberAlert() {
        await("LatticeDeadLetters firing").atMost(DATA_WAIT).untilAsserted(() ->
                assertThat(alertStates()).containsEntry("LatticeDeadLetters", "firing"));
        assertThat(alertStates()).doesNotContainKeys("LatticeMemberMissing", "LatticeNodeDown", "LatticeHeapHigh");
    }

    @Test
    @Order(5)
    void memberStops_memberMissingAlertGoesPendingThenFiresAfterItsFor() {
        nodes.get(2).close();
        Instant stopped = Instant.now();

        Set<String> seen = new LinkedHashSet<>();
        await("LatticeMemberMissing firing").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    String state = alertStates().get("LatticeMemberMissing");
                    if (state != null) {
                        seen.add(state);
                    }
                    assertThat(state).isEqualTo("firing");
                });

        assertThat(seen).containsExactly("pending", "firing");
        JsonNode alert = alert("LatticeMemberMissing");
        Instant activeAt = Instant.parse(alert.get("activeAt").asString());
        assertThat(activeAt).isAfterOrEqualTo(stopped.minusSeconds(2));
        assertThat(Duration.between(activeAt, Instant.now())).isGreaterThanOrEqualTo(Duration.parse("PT" + TEST_FOR));
        assertThat(alert.get("labels").get("severity").asString()).isEqualTo("critical");
        assertThat(alert.get("annotations").get("description").asString())
                .contains("Prometheus scrapes 3 grid nodes of job lattice");
    }

    private static Map<String, String> alertStates() {
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode alert : prometheus.alerts().get("alerts")) {
            states.merge(alert.get("labels").get("alertname").asString(), alert.get("state").asString(),
                    (a, b) -> a.equals("firing") ? a : b);
        }
        return states;
    }

    private static JsonNode alert(String name) {
        for (JsonNode alert : prometheus.alerts().get("alerts")) {
            if (alert.get("labels").get("alertname").asString().equals(name)) {
                return alert;
            }
        }
        throw new AssertionError("no alert " + name);
    }

    private static List<JsonNode> rules() {
        List<JsonNode> rules = new ArrayList<>();
        prometheus.rules().get("groups").forEach(group -> group.get("rules").forEach(rules::add));
        return rules;
    }

}
