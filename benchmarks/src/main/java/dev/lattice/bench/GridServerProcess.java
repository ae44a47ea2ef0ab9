package dev.lattice.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A Lattice grid node: the packaged {@code grid-server.jar} in its own JVM, started as an operator
 * starts it, on free loopback ports and its own cluster name, ready when its readiness probe says so.
 */
final class GridServerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LOADED = Pattern.compile("Map (\\S+) loaded from table \\S+: (\\d+) entries in (\\d+) ms");

    private final ChildJvm jvm;
    private final int memberPort;
    private final int httpPort;
    private final String clusterName;
    private Duration readyAfter;

    private GridServerProcess(ChildJvm jvm, int memberPort, int httpPort, String clusterName) {
        this.jvm = jvm;
        this.memberPort = memberPort;
        this.httpPort = httpPort;
        this.clusterName = clusterName;
    }

    /** Starts a node with {@code settings} ({@code --lattice...=...}) and waits until it is ready. */
    static GridServerProcess start(Path jar, Path workDir, List<String> settings) {
        return start(List.of(), jar, workDir, settings);
    }

    /** The same with JVM flags before {@code -jar} (e.g. a class data sharing archive). */
    static GridServerProcess start(List<String> jvmFlags, Path jar, Path workDir, List<String> settings) {
        List<Integer> ports = Ports.free(2);
        String clusterName = "bench-" + ProcessHandle.current().pid() + "-" + ports.get(0);
        List<String> arguments = arguments(jvmFlags, jar, workDir, settings, ports, clusterName);
        ChildJvm jvm = ChildJvm.start(arguments, workDir, workDir.resolve("grid-server.log"));
        GridServerProcess node = new GridServerProcess(jvm, ports.get(0), ports.get(1), clusterName);
        try {
            Awaitility.await("grid node ready, log " + jvm.log()).atMost(Duration.ofMinutes(3))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (!jvm.alive()) {
                            throw new IllegalStateException("grid node exited:\n" + jvm.logText());
                        }
                        return node.ready();
                    });
        } catch (RuntimeException e) {
            jvm.close();
            throw e;
        }
        node.readyAfter = jvm.sinceStart();
        return node;
    }

    /**
     * The README's class data sharing recipe for a node: a training run of {@code extractedJar} (from
     * {@code java -Djarmode=tools -jar grid-server.jar extract}) started until ready and stopped with
     * SIGTERM; its JVM writes the classes it loaded to {@code archive} as it exits.
     */
    static void trainClassDataSharing(Path extractedJar, Path archive, Path workDir, List<String> settings) {
        GridServerProcess training = start(List.of("-XX:ArchiveClassesAtExit=" + archive.toAbsolutePath()), extractedJar,
                workDir.resolve("training"), settings);
        training.close(); // SIGTERM: a graceful stop, after which the JVM writes the archive
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the class data sharing training run wrote no " + archive + ", see "
                    + workDir.resolve("training"));
        }
    }

    private static List<String> arguments(List<String> jvmFlags, Path jar, Path workDir, List<String> settings,
                                          List<Integer> ports, String clusterName) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build it first (mvn -pl grid-server -am package -DskipTests)");
        }
        List<String> arguments = new ArrayList<>(jvmFlags);
        arguments.addAll(List.of("-jar", jar.toAbsolutePath().toString(),
                "--lattice.cluster-name=" + clusterName,
                "--lattice.network.port=" + ports.get(0),
                "--lattice.network.port-auto-increment=false",
                "--lattice.discovery.members=127.0.0.1:" + ports.get(0),
                "--server.port=" + ports.get(1),
                "--spring.main.banner-mode=off",
                "--lattice.datasource.spool-directory=" + workDir.resolve("spool")));
        arguments.addAll(settings);
        return arguments;
    }

    /** From launching the JVM to the first readiness answer of 200 (polled every 20 ms). */
    Duration readyAfter() {
        return readyAfter;
    }

    /** The node's JVM, for its heap. */
    ChildJvm jvm() {
        return jvm;
    }

    String address() {
        return "127.0.0.1:" + memberPort;
    }

    String clusterName() {
        return clusterName;
    }

    /**
     * Milliseconds the node's own eager load of {@code map} took, from its log line
     * ({@code MapLoads}: "Map x loaded from table t: n entries in m ms"); fails if {@code rows} were not loaded.
     */
    long eagerLoadMillis(String map, int rows) {
        Matcher matcher = LOADED.matcher(jvm.logText());
        while (matcher.find()) {
            if (matcher.group(1).equals(map)) {
                if (Integer.parseInt(matcher.group(2)) != rows) {
                    throw new IllegalStateException(map + " loaded " + matcher.group(2) + " entries, expected " + rows);
                }
                return Long.parseLong(matcher.group(3));
            }
        }
        throw new IllegalStateException("no eager load of " + map + " in " + jvm.log());
    }

    private boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        jvm.close();
    }
}
