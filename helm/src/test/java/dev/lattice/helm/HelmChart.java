package dev.lattice.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart under test, run through the real Helm (helm-java's native library): {@code helm lint}
 * and {@code helm template} as release {@value #RELEASE} in namespace {@value #NAMESPACE}.
 */
final class HelmChart {

    static final String RELEASE = "grid";
    static final String NAMESPACE = "data";
    /** The release's full name, the prefix of every object. */
    static final String FULLNAME = RELEASE + "-lattice";

    static final Path DIR = Path.of(System.getProperty("lattice.chart.dir", "lattice")).toAbsolutePath().normalize();

    private final Path valuesFile;
    private final Map<String, Object> sets = new LinkedHashMap<>();

    private HelmChart(Path valuesFile) {
        this.valuesFile = valuesFile;
    }

    /** The chart with its default values. */
    static HelmChart defaults() {
        return new HelmChart(null);
    }

    /** The chart with one of its {@code ci/*-values.yaml} scenarios. */
    static HelmChart scenario(Path valuesFile) {
        return new HelmChart(valuesFile);
    }

    /** Every {@code ci/*-values.yaml} scenario of the chart. */
    static List<Path> scenarios() {
        try (Stream<Path> files = Files.list(DIR.resolve("ci"))) {
            return files.filter(file -> file.getFileName().toString().endsWith("-values.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path scenario(String name) {
        return DIR.resolve("ci").resolve(name + "-values.yaml");
    }

    /** {@code --set key=value}. */
    HelmChart set(String key, Object value) {
        sets.put(key, value);
        return this;
    }

    /** {@code helm template}; fails the test with Helm's message when the chart does not render. */
    RenderedChart render() {
        return RenderedChart.parse(template().call());
    }

    /** {@code helm template} that is expected to fail; returns Helm's error message. */
    String renderFailure() {
        try {
            String output = template().call();
            throw new AssertionError("expected the chart to refuse these values, but it rendered:\n" + output);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** The NOTES.txt {@code helm install} prints, from a client-only dry run (no cluster needed). */
    String notes() {
        InstallCommand command = new Helm(DIR).install().withName(RELEASE).withNamespace(NAMESPACE).clientOnly().dryRun();
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        String output = command.call().getOutput();
        int notes = output.indexOf("NOTES:");
        if (notes < 0) {
            throw new AssertionError("helm install printed no NOTES:\n" + output);
        }
        return output.substring(notes);
    }

    static LintResult lintStrict() {
        return new Helm(DIR).lint().strict().call();
    }

    private TemplateCommand template() {
        TemplateCommand command = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command;
    }
}
