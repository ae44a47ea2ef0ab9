package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The rendered grid-server container, run as a local process from the packaged grid-server.jar the
 * way the pod runs the image: the rendered args and environment, and every mounted volume a local
 * directory holding what Kubernetes would put there (the ConfigMap's files, the Secret's files,
 * nothing for an emptyDir or claim). Rendered strings that name a mount path are pointed at its
 * directory, as the mount would.
 *
 * <p>Only what exists solely inside Kubernetes is replaced, through {@link #OVERRIDABLE} properties
 * given as command-line arguments (which win over the config file): free loopback ports instead of
 * the pod's own IP and fixed ports, TCP/IP discovery of the other test members instead of cluster
 * DNS, a test database instead of the in-cluster URL, and a unique cluster name.
 *
 * <p>A {@link Builder} can start its pod again: the volume directories keep what the last process
 * wrote, as a pod's claim does when the pod is deleted and created again.
 */
final class PodProcess implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("lattice.grid-server.jar", "../grid-server/target/grid-server.jar"));

    /** The only properties a test may change, each for a reason given in the class comment. */
    static final Set<String> OVERRIDABLE = Set.of(
            "lattice.cluster-name", "server.address", "server.port", "lattice.network.port",
            "lattice.discovery.mode", "lattice.discovery.members", "lattice.datasource.url", "lattice.datasource.user");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final Container container;
    private final Map<String, String> overrides;

    private PodProcess(Process process, Path log, Container container, Map<String, String> overrides) {
        this.process = process;
        this.log = log;
        this.httpPort = Integer.parseInt(overrides.get("server.port"));
        this.container = container;
        this.overrides = Map.copyOf(overrides);
    }

    /** A property this test process was given instead of the rendered value. */
    String override(String property) {
        return overrides.get(property);
    }

    static Builder of(RenderedChart chart, Path root) {
        return new Builder(chart, root);
    }

    /** Status code of a GET, or -1 when nothing answers (connection refused or timed out). */
    int status(String path) {
        try {
            return get(path).statusCode();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    HttpResponse<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /**
     * The path a rendered probe asks, after checking that its port is the container port grid-server
     * listens on (which this process serves on {@link #httpPort}).
     */
    String probePath(Probe probe) {
        String portName = probe.getHttpGet().getPort().getStrVal();
        int containerPort = ChartRenderingTests.containerPort(container, portName);
        assertThat(containerPort).as("probe port %s", portName).isEqualTo(ChartRenderingTests.containerPort(container, "http"));
        return probe.getHttpGet().getPath();
    }

    /** The rendered container this process runs. */
    Container container() {
        return container;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What Kubernetes sends first when a pod is deleted. */
    void sigterm() {
        process.destroy();
    }

    boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The last lines of the log, for assertion messages. */
    String logTail() {
        String[] lines = log().split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }

    /** SIGTERM, and SIGKILL if the process has not exited a minute later. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static final class Builder {

        private final RenderedChart chart;
        private final Path root;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        private String podName = HelmChart.FULLNAME + "-0";

        private Builder(RenderedChart chart, Path root) {
            this.chart = chart;
            this.root = root;
        }

        /** {@code --property=value}; only {@link #OVERRIDABLE} properties. */
        Builder override(String property, Object value) {
            assertThat(OVERRIDABLE).as("properties a test may replace").contains(property);
            overrides.put(property, String.valueOf(value));
            return this;
        }

        /** The content of an existing Secret the chart refers to. */
        Builder secret(String name, Map<String, String> data) {
            secrets.put(name, data);
            return this;
        }

        /**
         * Where a path inside the grid-server container is on this machine: a mount path is replaced
         * by its volume's directory, which outlives the process like the pod's volume (a claim).
         */
        Path localPath(String containerPath) {
            return Path.of(new PodVolumes(chart, root, secrets).mountedPaths().apply(containerPath));
        }

        Builder podName(String podName) {
            this.podName = podName;
            return this;
        }

        /**
         * Runs the pod's init containers' commands here, in order, with their mounts pointed at the
         * pod's volume directories and {@code imagePaths} standing in for paths inside their images.
         */
        Builder runInitContainers(Map<String, Path> imagePaths) throws IOException, InterruptedException {
            new PodVolumes(chart, root, secrets).runInitContainers(imagePaths);
            return this;
        }

        PodProcess start() throws IOException {
            assertThat(overrides).as("a test member needs its own ports").containsKeys("server.port", "lattice.network.port");
            Container container = chart.gridServer();
            PodVolumes volumes = new PodVolumes(chart, root, secrets);
            volumes.fill();
            UnaryOperator<String> mounted = volumes.mountedPaths();

            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // Only the JIT's last tier is left out: it halves a node's start on a busy 2-core machine
            // and changes nothing the chart configures (the rendered JAVA_TOOL_OPTIONS still apply).
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-jar");
            command.add(JAR.toAbsolutePath().toString());
            container.getArgs().stream().map(mounted).forEach(command::add);
            overrides.forEach((property, value) -> command.add("--" + property + "=" + value));

            Path workDir = Files.createDirectories(root.resolve("workdir"));
            Path log = root.resolve("grid-server.log");
            for (int start = 2; Files.exists(log); start++) {
                log = root.resolve("grid-server-" + start + ".log"); // the same pod started again
            }
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            builder.environment().remove("JDK_JAVA_OPTIONS");
            for (EnvVar env : container.getEnv()) {
                builder.environment().put(env.getName(), envValue(env, mounted));
            }
            return new PodProcess(builder.start(), log, container, overrides);
        }

        private String envValue(EnvVar env, UnaryOperator<String> mounted) {
            if (env.getValueFrom() == null) {
                return mounted.apply(env.getValue());
            }
            String field = env.getValueFrom().getFieldRef() == null ? null : env.getValueFrom().getFieldRef().getFieldPath();
            if ("status.podIP".equals(field)) {
                return "127.0.0.1"; // tests bind loopback only: the stand-in for the pod's IP
            }
            if ("metadata.name".equals(field)) {
                return podName;
            }
            if ("metadata.namespace".equals(field)) {
                return HelmChart.NAMESPACE;
            }
            throw new AssertionError("the test cannot provide env " + env.getName() + " from " + env.getValueFrom());
        }
    }
}
