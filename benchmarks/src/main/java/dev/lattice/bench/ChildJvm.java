package dev.lattice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in its own JVM, output to a log file. Lattice's node and the stock Hazelcast
 * member get the same JVM flags, so neither shares the load generator's heap or JIT.
 */
final class ChildJvm implements AutoCloseable {

    /** Same heap and GC for every server; Hazelcast's module flags so neither logs a warning. */
    static final List<String> SERVER_FLAGS = List.of("-Xms1g", "-Xmx1g", "-Djava.net.preferIPv4Stack=true",
            "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java <SERVER_FLAGS> <arguments>} in {@code workDir}. */
    static ChildJvm start(List<String> arguments, Path workDir, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SERVER_FLAGS);
        command.addAll(arguments);
        try {
            Files.createDirectories(workDir);
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            // A run stopped with Ctrl-C skips every close(): without this its 1 GB servers would outlive it.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-" + process.pid()));
            return new ChildJvm(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** SIGTERM, a bounded wait for a graceful stop, then SIGKILL. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
