package dev.lattice.monitoring.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped alert rules: promtool accepts them, their unit tests pass, and every alert carries
 * what an operator needs and has a test on each side of its {@code for} boundary.
 */
class AlertRulesTest {

    static final Path PROMETHEUS = Path.of("prometheus");
    static final Path RULES = PROMETHEUS.resolve("lattice-alerts.yaml");
    private static final Path TESTS = PROMETHEUS.resolve("tests");
    private static final Path RUNBOOK = Path.of("..", "docs", "runbook.md");

    @Test
    void promtoolCheckRules_acceptsTheRuleFile() throws Exception {
        Promtool.Result result = Promtool.run(PROMETHEUS, "check", "rules", RULES.getFileName().toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    void promtoolTestRules_passes() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        testFiles().forEach(file -> args.add(PROMETHEUS.relativize(file).toString()));

        Promtool.Result result = Promtool.run(PROMETHEUS, args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain("FAILED");
    }

    @Test
    void everyAlert_hasSeverityForSummaryDescriptionAndRunbook() throws IOException {
        assertThat(alerts()).isNotEmpty().allSatisfy(alert -> {
            String name = (String) alert.get("alert");
            assertThat(name).matches("Lattice[A-Za-z]+");
            assertThat(alert.get("for")).as(name + " for").isNotNull();
            assertThat(labels(alert, "labels").get("severity")).as(name + " severity").isIn("critical", "warning");
            Map<String, Object> annotations = labels(alert, "annotations");
            assertThat(annotations.get("summary")).as(name + " summary").isNotNull();
            assertThat(annotations.get("description")).as(name + " description").isNotNull();
            assertThat(annotations.get("runbook_url")).as(name + " runbook_url")
                    .isEqualTo("docs/runbook.md#" + name.toLowerCase(Locale.ROOT));
        });
    }

    @Test
    void everyRunbookUrl_pointsAtASectionOfTheRunbook() throws IOException {
        Set<String> anchors = Files.readAllLines(RUNBOOK).stream()
                .filter(line -> line.startsWith("## "))
                .map(line -> line.substring(3).trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-'))
                .collect(Collectors.toSet());

        assertThat(alerts()).allSatisfy(alert -> {
            String url = (String) labels(alert, "annotations").get("runbook_url");
            assertThat(anchors).as(url).contains(url.substring(url.indexOf('#') + 1));
        });
    }

    /**
     * For each alert some test evaluates it once with no alert expected and one evaluation
     * interval later with it firing: the {@code for} boundary is pinned, so changing a {@code for}
     * (or the expression behind it) fails the promtool run.
     */
    @Test
    void everyAlert_hasTestsJustBeforeAndJustAfterItsForBoundary() throws IOException {
        Set<String> pinned = new HashSet<>();
        for (Path file : testFiles()) {
            Map<String, Object> testFile = load(file);
            Duration interval = duration((String) testFile.get("evaluation_interval"));
            for (Map<String, Object> test : list(testFile.get("tests"))) {
                List<Map<String, Object>> evaluations = list(test.get("alert_rule_test"));
                for (Map<String, Object> silent : evaluations) {
                    if (!list(silent.get("exp_alerts")).isEmpty()) {
                        continue;
                    }
                    Duration after = duration((String) silent.get("eval_time")).plus(interval);
                    boolean firesNext = evaluations.stream().anyMatch(firing -> firing.get("alertname").equals(silent.get("alertname"))
                            && duration((String) firing.get("eval_time")).equals(after)
                            && !list(firing.get("exp_alerts")).isEmpty());
                    if (firesNext) {
                        pinned.add((String) silent.get("alertname"));
                    }
                }
            }
        }

        assertThat(pinned).containsExactlyInAnyOrderElementsOf(
                alerts().stream().map(alert -> (String) alert.get("alert")).toList());
    }

    static List<Map<String, Object>> alerts() throws IOException {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Map<String, Object> group : list(load(RULES).get("groups"))) {
            list(group.get("rules")).stream().filter(rule -> rule.containsKey("alert")).forEach(alerts::add);
        }
        return alerts;
    }

    private static List<Path> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(TESTS)) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    static Map<String, Object> load(Path file) throws IOException {
        try (var reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labels(Map<String, Object> alert, String key) {
        return (Map<String, Object>) alert.get(key);
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)([smh])");

    /** Prometheus durations as the tests write them: {@code 90s}, {@code 15m}, {@code 1h30m}. */
    static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find()) {
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
            end = matcher.end();
        }
        if (end != text.length() || text.isEmpty()) {
            throw new IllegalArgumentException("not a Prometheus duration: '" + text + "'");
        }
        return total;
    }
}
