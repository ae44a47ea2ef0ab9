package dev.lattice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** G1's line in {@code jcmd GC.heap_info}: "garbage-first heap   total 1048576K, used 52312K [...". */
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

    private final Process process;
    private final Path log;
    private final long startedNanos;

    private ChildJvm(Process process, Path log, long startedNanos) {
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /** Starts {@code java <SERVER_FLAGS> <arguments>} in {@code workDir}. */
    static ChildJvm start(List<String> arguments, Path workDir, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SERVER_FLAGS);
        command.addAll(arguments);
        try {
            Files.createDirectories(workDir);
            long startedNanos = System.nanoTime();
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            // A run stopped with Ctrl-C skips every close(): without this its 1 GB servers would outlive it.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-" + process.pid()));
            return new ChildJvm(process, log, startedNanos);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Time since this JVM was launched. */
    Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /**
     * Live heap: bytes in use right after a full collection, as the child's own collector reports
     * them ({@code jcmd <pid> GC.run}, which returns when {@code System.gc()} has finished, then
     * {@code GC.heap_info}). Collected twice, so what the first collection freed late is gone too.
     */
    long heapUsedAfterFullGc() {
        jcmd("GC.run");
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("no G1 heap line in jcmd GC.heap_info of " + process.pid() + ":\n" + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private String jcmd(String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return runTool(List.of(jcmd.toString(), Long.toString(process.pid()), command));
    }

    /** Runs a JDK tool to its end (at most 2 minutes) and returns its output; fails if it fails. */
    static String runTool(List<String> command) {
        try {
            Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(run.getInputStream().readAllBytes());
            if (!run.waitFor(2, TimeUnit.MINUTES) || run.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
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
