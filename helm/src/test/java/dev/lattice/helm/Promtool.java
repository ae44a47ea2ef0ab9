package dev.lattice.helm;

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
 * Prometheus' {@code promtool} from the machine (Debian package {@code prometheus}, which
 * {@code .ci/run} installs). Missing, the test is skipped on a developer's machine and fails where
 * {@code CI} is set, as in the monitoring module.
 */
final class Promtool {

    record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    static Result run(Path directory, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(require().toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool " + args + " did not finish in 2 minutes");
        }
        return new Result(process.exitValue(), output);
    }

    private static Path require() {
        Optional<Path> promtool = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "promtool")).filter(Files::isExecutable).findFirst();
        if (promtool.isEmpty() && System.getenv("CI") != null) {
            throw new IllegalStateException("promtool is not on the PATH; .ci/run installs it with 'apt-get install -y prometheus'");
        }
        assumeTrue(promtool.isPresent(), "promtool not installed (apt-get install prometheus)");
        return promtool.get();
    }
}
