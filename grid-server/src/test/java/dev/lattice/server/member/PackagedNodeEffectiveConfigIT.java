package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hazelcast.core.EntryView;
import com.hazelcast.map.IMap;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.lattice.client.LatticeClient;
import dev.lattice.testsupport.FreePorts;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code grid-server.jar}, started as an operator starts it, with an
 * {@code application.yml} beside it and a Hazelcast file: the member applies what the README's
 * precedence says, and {@code /actuator/latticeconfig} reports each value with its source.
 */
class PackagedNodeEffectiveConfigIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String USER = "operator";
    private static final String PASSWORD = "s3cret-" + UUID.randomUUID();

    @TempDir
    static Path workDir;

    private static TestDatabase database;
    private static Process node;
    private static Path log;
    private static int memberPort;
    private static int httpPort;
    private static String clusterName;

    @BeforeAll
    static void startNode() throws IOException {
        Path jar = jar();
        database = PostgresFixture.createDatabase();
        List<Integer> ports = FreePorts.distinct(2);
        memberPort = ports.get(0);
        httpPort = ports.get(1);
        clusterName = "effective-config-" + UUID.randomUUID();
        Path hazelcastFile = Files.writeString(workDir.resolve("hazelcast.yaml"), """
                hazelcast:
                  map:
                    default:
                      async-backup-count: 1
                    orders:
                      backup-count: 3
                      max-idle-seconds: 600
                    legacy:
                      time-to-live-seconds: 60
                      read-backup-data: true
                """);
        Files.writeString(workDir.resolve("application.yml"), """
                server:
                  port: %d
                lattice:
                  admin:
                    user: %s
                    password: %s
                  cluster-name: %s
                  config-file: file:%s
                  network:
                    port: %d
                    port-auto-increment: false
                  discovery:
                    members: 127.0.0.1:%d
                  datasource:
                    url: %s
                    user: %s
                    password: "%s"
                    spool-directory: %s
                  maps:
                    default:
                      time-to-live: 120s
                    orders:
                      backup-count: 2
                    sessions:
                      max-idle: 45s
                """.formatted(httpPort, USER, PASSWORD, clusterName, hazelcastFile.toAbsolutePath(), memberPort, memberPort,
                database.jdbcUrl(), database.user() == null ? "" : database.user(),
                database.password() == null ? "" : database.password(), workDir.resolve("spool").toAbsolutePath()));
        log = Path.of("target", "it-logs", "effective-config-node.log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
                "-jar", jar.toString()));
        node = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        await("the packaged node to be ready (log: " + log.toAbsolutePath() + ")").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    assertThat(node.isAlive()).as("node process alive; see %s", log.toAbsolutePath()).isTrue();
                    return status("/actuator/health/readiness", false) == 200;
                });
    }

    @AfterAll
    static void stopNode() throws InterruptedException {
        if (node != null) {
            node.destroy();
            if (!node.waitFor(60, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void runningMember_appliesThePrecedenceToEntries() {
        try (LatticeClient client = LatticeClient.builder().addresses("127.0.0.1:" + memberPort).clusterName(clusterName).build()) {
            for (String map : List.of("orders", "legacy", "created-later")) {
                IMap<String, String> entries = client.map(map);
                entries.set("k", "v");
                EntryView<String, String> view = entries.getEntryView("k");
                // lattice.maps.default.time-to-live wins over the file's 60 s for legacy, too.
                assertThat(view.getTtl()).as("TTL of an entry in %s", map).isEqualTo(Duration.ofSeconds(120).toMillis());
            }
            IMap<String, String> sessions = client.map("sessions");
            sessions.set("k", "v");
            assertThat(sessions.getEntryView("k").getMaxIdle()).isEqualTo(Duration.ofSeconds(45).toMillis());
        }
    }

    @Test
    void effectiveConfigEndpoint_reportsEachValueWithItsSource() {
        DocumentContext maps = JsonPath.parse(get("/actuator/latticeconfig"));

        assertSetting(maps, "orders", "backup-count", 2, "lattice.maps.orders.backup-count");
        assertSetting(maps, "orders", "max-idle", "600s", "lattice.config-file (map 'orders')");
        assertSetting(maps, "orders", "time-to-live", "120s", "lattice.maps.default.time-to-live");
        assertSetting(maps, "orders", "async-backup-count", 0, "Hazelcast default");
        assertSetting(maps, "sessions", "max-idle", "45s", "lattice.maps.sessions.max-idle");
        assertSetting(maps, "sessions", "async-backup-count", 1, "lattice.config-file (map 'default')");
        assertSetting(maps, "legacy", "time-to-live", "120s", "lattice.maps.default.time-to-live");
        assertSetting(maps, "legacy", "read-backup-data", true, "lattice.config-file (map 'legacy')");
        assertSetting(maps, "records", "time-to-live", "120s", "lattice.maps.default.time-to-live");
        assertThat(maps.read("$.maps.records.store.mode", String.class)).isEqualTo("WRITE_BEHIND");
        assertThat(maps.read("$.maps.records.store.table", String.class)).isEqualTo("records");
        assertThat(maps.read("$.maps.orders.store", Map.class)).isNull();
    }

    @Test
    void effectiveConfigOfAMapWithoutAnEntry_namesTheEntryItInherits() {
        DocumentContext map = JsonPath.parse(get("/actuator/latticeconfig/not-configured"));

        assertThat(map.read("$.inherits", String.class)).isEqualTo("default");
        assertThat(map.read("$.settings.time-to-live.value", String.class)).isEqualTo("120s");
        assertThat(map.read("$.settings.time-to-live.source", String.class)).isEqualTo("lattice.maps.default.time-to-live");
    }

    @Test
    void effectiveConfigEndpoint_needsCredentials() {
        assertThat(status("/actuator/latticeconfig", false)).isEqualTo(401);
        assertThat(status("/actuator/latticeconfig", true)).isEqualTo(200);
    }

    private static void assertSetting(DocumentContext maps, String map, String key, Object value, String source) {
        String path = "$.maps['" + map + "'].settings['" + key + "']";
        assertThat(maps.read(path + ".value", Object.class)).as("%s %s", map, key).isEqualTo(value);
        assertThat(maps.read(path + ".source", String.class)).as("source of %s %s", map, key).isEqualTo(source);
    }

    /**
     * The jar packaged from the classes under test. Failsafe runs this after {@code package}; run
     * earlier (surefire with {@code -Dtest=...}) the jar is missing or holds other classes than
     * {@code target/classes}, and testing it would test old code, so the class is skipped.
     */
    private static Path jar() throws IOException {
        Path jar = Path.of("target", "grid-server.jar");
        assumeTrue(Files.isRegularFile(jar), "no packaged node yet: mvn verify runs this after package");
        Path classes = Path.of("target", "classes");
        try (ZipFile zip = new ZipFile(jar.toFile()); Stream<Path> files = Files.walk(classes)) {
            // The repackaged jar carries a fixed timestamp, so compare contents, not dates.
            assumeTrue(files.filter(file -> file.toString().endsWith(".class")).allMatch(file -> packaged(zip, classes, file)),
                    "target/grid-server.jar holds other classes than target/classes: mvn verify runs this after package");
        }
        return jar.toAbsolutePath();
    }

    private static boolean packaged(ZipFile zip, Path classes, Path file) {
        ZipEntry entry = zip.getEntry("BOOT-INF/classes/" + classes.relativize(file).toString().replace('\\', '/'));
        try {
            if (entry == null) {
                return false;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return Arrays.equals(in.readAllBytes(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String get(String path) {
        HttpResponse<String> response = send(path, true);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private static int status(String path, boolean authenticated) {
        try {
            return send(path, authenticated).statusCode();
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    private static HttpResponse<String> send(String path, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (authenticated) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("no answer from the node on " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
