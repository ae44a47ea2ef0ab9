package dev.lattice.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One grid node: the packaged {@code grid-server.jar} in its own JVM, started the way an operator
 * starts it, with its output in a log file. Faults are real signals to the real process.
 */
final class GridProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String host;
    private final int memberPort;
    private final int httpPort;
    private final List<String> launcher;
    private final List<String> args;
    private final Path log;
    private final Path workDir;
    private Process process;

    /**
     * Every node this JVM started. A run cut short by its timeout closes its scenario on a thread
     * the JVM does not wait for, so without this hook its nodes outlived the test run.
     */
    private static final java.util.Set<Process> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly), "kill-grid-nodes"));
    }

    GridProcess(String name, int memberPort, int httpPort, List<String> args, Path log, Path workDir) {
        this(name, "127.0.0.1", List.of(), memberPort, httpPort, args, log, workDir);
    }

    /** A node on {@code host}, started through {@code launcher} (e.g. {@code ip netns exec <ns>}). */
    GridProcess(String name, String host, List<String> launcher, int memberPort, int httpPort, List<String> args, Path log,
                Path workDir) {
        this.name = name;
        this.host = host;
        this.launcher = List.copyOf(launcher);
        this.memberPort = memberPort;
        this.httpPort = httpPort;
        this.args = List.copyOf(args);
        this.log = log;
        this.workDir = workDir;
    }

    String host() {
        return host;
    }

    String name() {
        return name;
    }

    int memberPort() {
        return memberPort;
    }

    int httpPort() {
        return httpPort;
    }

    Path log() {
        return log;
    }

    /** Starts the JVM (again, after a stop or a kill); the log is appended to. */
    GridProcess start() {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.net.preferIPv4Stack=true");
        // A member that stops sending heartbeats may be in a long collection or safepoint: say so in the logs.
        // Quoted: scenario directories have spaces and commas.
        command.add("-Xlog:gc,safepoint:file=\"" + log.toAbsolutePath().toString().replace(".log", "") + "-gc.log\":time,uptime");
        // JVM options for an experiment, e.g. -Dfaults.node.jvm.args=-Dhazelcast.io.write.through=false
        String jvmExtra = System.getProperty("faults.node.jvm.args", "").strip();
        if (!jvmExtra.isEmpty()) {
            command.addAll(List.of(jvmExtra.split("\\s+")));
        }
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        // For hunting a rare failure: e.g. -Dfaults.node.args=--logging.level.com.hazelcast.internal.cluster=DEBUG
        String extra = System.getProperty("faults.node.args", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(workDir);
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            STARTED.removeIf(p -> !p.isAlive());
            STARTED.add(process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        return this;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("grid.server.jar", "../grid-server/target/grid-server.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build grid-server first (mvn package)");
        }
        return jar;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** HTTP status of a GET on this node, or -1 when it does not answer. */
    int status(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + httpPort + path))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    boolean ready() {
        return status("/actuator/health/readiness") == 200;
    }

    /** kill -9: no shutdown hook, no migration, no flush. */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM, as Kubernetes sends it. */
    void terminate() {
        process.destroy();
    }

    /** SIGSTOP: the process stops running but keeps its sockets, like a very long GC pause. */
    void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() {
        signal("CONT");
    }

    /** SIGQUIT: the JVM prints a dump of its threads to its log and carries on. */
    void dumpThreads() {
        signal("QUIT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The exit code of a process that has exited. */
    int exitValue() {
        return process.exitValue();
    }

    /** Waits for the process to exit; true if it did within {@code timeout}. */
    boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            resume();
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
    }
}
