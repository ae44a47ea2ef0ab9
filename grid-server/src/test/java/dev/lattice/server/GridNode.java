package dev.lattice.server;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A real grid node (the whole Spring Boot application) started in this JVM for a test. */
public final class GridNode implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ConfigurableApplicationContext context;
    private final TestDatabase database;

    private GridNode(ConfigurableApplicationContext context, TestDatabase database) {
        this.context = context;
        this.database = database;
    }

    /**
     * Starts a node with {@code args} on top of the defaults; the HTTP port is always random.
     * Unless {@code args} choose a database, the node's persisted maps go to a fresh database
     * on the test PostgreSQL, so nodes never share the embedded default's data directory.
     */
    /**
     * The node arguments that point it at {@code database}: its URL and, when the URL does not carry
     * them (the embedded test server's), its user and password.
     */
    public static List<String> datasource(TestDatabase database) {
        List<String> args = new ArrayList<>(List.of("--lattice.datasource.url=" + database.jdbcUrl()));
        if (database.user() != null) {
            args.add("--lattice.datasource.user=" + database.user());
            args.add("--lattice.datasource.password=" + database.password());
        }
        return args;
    }

    public static GridNode start(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        TestDatabase database = null;
        if (all.stream().noneMatch(arg -> arg.startsWith("--lattice.datasource."))) {
            database = PostgresFixture.createDatabase();
            all.addAll(datasource(database));
        }
        all.add("--server.port=0");
        all.add("--spring.main.banner-mode=off");
        try {
            return new GridNode(new SpringApplicationBuilder(GridServerApplication.class).run(all.toArray(String[]::new)), database);
        } catch (RuntimeException e) {
            if (database != null) {
                database.close();
            }
            throw e;
        }
    }

    /**
     * Waits (bounded) until the readiness probe answers 200: a node accepts connections before
     * its eager maps have loaded, so a test that asserts readiness must start from a ready node.
     */
    public GridNode awaitReady() {
        Awaitility.await("readiness of the node on port " + httpPort())
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/actuator/health/readiness").statusCode() == 200);
        return this;
    }

    public HazelcastInstance member() {
        return context.getBean(HazelcastInstance.class);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public int httpPort() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    public HttpResponse<String> get(String path, String user, String password) {
        return send("GET", path, user, password);
    }

    /** An authenticated request with any method and no body, e.g. an actuator write or delete operation. */
    public HttpResponse<String> send(String method, String path, String user, String password) {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort() + path);
    }

    public HttpResponse<String> send(HttpRequest request) {
        return sendRequest(request);
    }

    static HttpResponse<String> sendRequest(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
