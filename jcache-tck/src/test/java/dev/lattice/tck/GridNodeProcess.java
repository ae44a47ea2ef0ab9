package dev.lattice.tck;

import static org.awaitility.Awaitility.await;

import dev.lattice.client.jcache.LatticeCachingProvider;
import java.io.IOException;
import java.net.ConnectException;
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
import org.junit.runner.Description;
import org.junit.runner.Result;
import org.junit.runner.notification.RunListener;

/**
 * Starts the packaged grid node in its own JVM before the TCK runs and stops it afterwards,
 * started the documented way: {@code java -jar grid-server.jar} with the TCK's classes as
 * application classes in {@code --lattice.extensions.dir}. Points Lattice's caching provider at
 * it through the {@code lattice.client.*} system properties.
 */
public class GridNodeProcess extends RunListener {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    private Process node;
    private Path log;

    @Override
    public void testRunStarted(Description description) throws Exception {
        TckNode settings = new TckNode();
        log = settings.workDir.resolve("grid-node.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Djava.net.preferIPv4Stack=true", "-jar", TckNode.gridServerJar().toString()));
        command.addAll(settings.arguments());
        command.add("--lattice.extensions.dir=" + TckNode.property("lattice.tck.extensions.dir"));
        node = new ProcessBuilder(command).directory(settings.workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "tck-grid-node-stop"));

        URI readiness = URI.create("http://127.0.0.1:" + settings.httpPort + "/actuator/health/readiness");
        HttpClient http = HttpClient.newHttpClient();
        await("grid node ready (log: " + log + ")").atMost(STARTUP).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!node.isAlive()) {
                        throw new IllegalStateException("grid node exited with " + node.exitValue() + ":\n" + Files.readString(log));
                    }
                    return isUp(http, readiness);
                });
        System.setProperty(LatticeCachingProvider.ADDRESSES_PROPERTY, settings.memberAddress());
        System.setProperty(LatticeCachingProvider.CLUSTER_NAME_PROPERTY, settings.clusterName);
    }

    private static boolean isUp(HttpClient http, URI readiness) throws IOException, InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (ConnectException notYetListening) {
            return false;
        }
    }

    @Override
    public void testRunFinished(Result result) {
        stop();
    }

    private synchronized void stop() {
        if (node == null || !node.isAlive()) {
            return;
        }
        node.destroy(); // SIGTERM: the node shuts down gracefully
        try {
            if (!node.waitFor(60, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        } catch (InterruptedException e) {
            node.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
