package dev.lattice.monitoring.rules;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs Prometheus' {@code promtool} (Debian package {@code prometheus}, which {@code .ci/run}
 * installs). Without it the tests are skipped on a developer's machine and fail on CI, where
 * {@code CI} is set: a CI run that silently skipped the rule tests would prove nothing.
 */
final class Promtool {

    /** What a run printed and how it ended. */
    record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    static Path require() {
        Optional<Path> promtool = find("promtool");
        if (promtool.isEmpty() && System.getenv("CI") != null) {
            throw new IllegalStateException("promtool is not on the PATH; .ci/run installs it with "
                    + "'apt-get install -y prometheus'");
        }
        assumeTrue(promtool.isPresent(), "promtool not installed (apt-get install prometheus); rule tests skipped");
        return promtool.get();
    }

    static Optional<Path> find(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }

    static Result run(Path directory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(require().toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool " + args[0] + " did not finish in 2 minutes");
        }
        return new Result(process.exitValue(), output);
    }
}
