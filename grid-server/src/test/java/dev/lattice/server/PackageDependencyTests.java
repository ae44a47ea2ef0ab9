package dev.lattice.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of grid-server depend on each other one way only, as the JDK's {@code jdeps} reads
 * them from the compiled classes. {@code config} (properties, mappers, settings) depends on no other
 * package of the node: everything else consumes its settings.
 */
class PackageDependencyTests {

    private static final String ROOT = "dev.lattice.server";
    private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.lattice\\.server[\\w.]*)\\s+->\\s+(dev\\.lattice\\.server[\\w.]*)\\s");
    private static final Map<String, Set<String>> DEPENDENCIES = new TreeMap<>();

    @BeforeAll
    static void readDependencies() {
        Path classes = Path.of("target", "classes");
        assertThat(classes).as("grid-server's compiled classes").isDirectory();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                "-e", ROOT.replace(".", "\\.") + ".*", classes.toString());
        assertThat(exit).as("jdeps output:%n%s", out).isZero();
        for (String line : out.toString().split("\\R")) {
            Matcher edge = EDGE.matcher(line);
            if (edge.find() && !edge.group(1).equals(edge.group(2))) {
                DEPENDENCIES.computeIfAbsent(edge.group(1), p -> new TreeSet<>()).add(edge.group(2));
            }
        }
        assertThat(DEPENDENCIES).as("jdeps found the node's packages").containsKeys(ROOT + ".member", ROOT + ".persistence");
    }

    @Test
    void packages_formNoCycle() {
        List<String> cycles = new ArrayList<>();
        for (String start : DEPENDENCIES.keySet()) {
            findCycles(start, start, new ArrayList<>(List.of(start)), cycles);
        }
        assertThat(cycles).as("package cycles in %s", DEPENDENCIES).isEmpty();
    }

    @Test
    void config_dependsOnNoOtherPackageOfTheNode() {
        assertThat(DEPENDENCIES.getOrDefault(ROOT + ".config", Set.of())).isEmpty();
    }

    @Test
    void persistence_doesNotReachBackIntoMemberOrHealth() {
        assertThat(DEPENDENCIES.getOrDefault(ROOT + ".persistence", Set.of()))
                .doesNotContain(ROOT + ".member", ROOT + ".health");
    }

    private static void findCycles(String start, String at, List<String> path, List<String> cycles) {
        for (String next : DEPENDENCIES.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (!path.contains(next) && next.compareTo(start) > 0) {
                path.add(next);
                findCycles(start, next, path, cycles);
                path.remove(path.size() - 1);
            }
        }
    }
}
