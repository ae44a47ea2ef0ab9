package dev.lattice.server.metrics;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lattice.testsupport.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) for one test: its own config,
 * data directory and a free loopback port. Without the binary the test is skipped on a
 * developer's machine and fails on CI ({@code CI} set), where {@code .ci/run} installs it.
 */
final class PrometheusServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path directory;
    private final int port;
    private final ObjectMapper json = new ObjectMapper();

    private PrometheusServer(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** Starts Prometheus with {@code config} (a prometheus.yml) and {@code ruleFile} next to it, and waits until it is ready. */
    static PrometheusServer start(String config, String ruleFile) throws IOException {
        Path binary = binary();
        Path directory = Files.createTempDirectory("lattice-prometheus-");
        Files.writeString(directory.resolve("prometheus.yml"), config);
        Files.writeString(directory.resolve("rules.yaml"), ruleFile);
        int port = FreePorts.one();
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + directory.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + directory.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("prometheus.log").toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, directory, port);
        try {
            Awaitility.await("Prometheus ready").atMost(Duration.ofSeconds(60))
                    // Connection refused until it listens.
                    .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                    .until(() -> !process.isAlive() || server.get("/-/ready").statusCode() == 200);
            if (!process.isAlive()) {
                throw new IllegalStateException("Prometheus exited: " + server.log());
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static Path binary() {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "prometheus"))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty() && System.getenv("CI") != null) {
            throw new IllegalStateException("prometheus is not on the PATH; .ci/run installs it with 'apt-get install -y prometheus'");
        }
        assumeTrue(found.isPresent(), "prometheus not installed (apt-get install prometheus); live test skipped");
        return found.get();
    }

    /** The {@code data} of {@code /api/v1/query?query=...} at the current time; fails on an error response. */
    JsonNode query(String promql) {
        return data(get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)), promql);
    }

    /** The values of {@code label} on series matching {@code selector}. */
    List<String> labelValues(String label, String selector) {
        JsonNode data = data(get("/api/v1/label/" + label + "/values?match[]="
                + URLEncoder.encode(selector, StandardCharsets.UTF_8)), selector);
        return data.valueStream().map(JsonNode::asString).toList();
    }

    JsonNode rules() {
        return data(get("/api/v1/rules?type=alert"), "rules");
    }

    JsonNode alerts() {
        return data(get("/api/v1/alerts"), "alerts");
    }

    private JsonNode data(HttpResponse<String> response, String what) {
        JsonNode body = json.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
            throw new AssertionError("Prometheus refused " + what + ": " + response.statusCode() + " " + response.body());
        }
        return body.get("data");
    }

    HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET()
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String log() {
        try {
            return Files.readString(directory.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // A temp directory left behind is not worth failing a test over.
        }
    }
}
