package dev.lattice.server.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TcpProxy;
import dev.lattice.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * An operator sees a database outage: health says the database is down (liveness and readiness do
 * not: the node keeps serving and queueing), and the age of the oldest queued write grows.
 */
class DatabaseHealthTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN_PASSWORD = "p-" + UUID.randomUUID();
    private static final Pattern OLDEST_AGE = Pattern.compile(
            "lattice_mapstore_write_behind_oldest_age_seconds\\{[^}]*map=\"records\"[^}]*} ([0-9.eE+-]+)");

    @Test
    void databaseOutage_showsInHealthAndTheOldestWriteAge_butNotInLivenessOrReadiness() {
        try (TestDatabase db = PostgresFixture.createDatabase()) {
            URI server = URI.create(db.jdbcUrl().substring("jdbc:".length()));
            try (TcpProxy proxy = TcpProxy.start(server.getHost(), server.getPort());
                 GridNode node = GridNode.start(
                         "--lattice.cluster-name=dbhealth-" + UUID.randomUUID(),
                         "--lattice.network.port=" + FreePorts.one(),
                         "--lattice.datasource.url=jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db.name(),
                         "--lattice.datasource.user=postgres",
                         "--lattice.admin.password=" + ADMIN_PASSWORD)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> node.get("/actuator/health/readiness").statusCode() == 200);
                assertThat(databaseStatus(node)).isEqualTo("UP");

                proxy.cut();
                node.member().<String, String>getMap("records").set("queued", "while the database is away");

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    HttpResponse<String> health = node.get("/actuator/health");
                    assertThat(health.statusCode()).isEqualTo(503);
                    assertThat(databaseStatus(node)).isEqualTo("DOWN");
                    assertThat(oldestAgeSeconds(node)).isGreaterThan(2.0);
                });
                assertThat(node.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
                assertThat(node.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

                proxy.restore();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(node.get("/actuator/health").statusCode()).isEqualTo(200);
                    assertThat(oldestAgeSeconds(node)).isZero();
                });
            }
        }
    }

    private static String databaseStatus(GridNode node) {
        // The components of health are shown to the operator only.
        return JSON.readTree(node.get("/actuator/health", "admin", ADMIN_PASSWORD).body()).path("components").path("database")
                .path("status").asString();
    }

    private static double oldestAgeSeconds(GridNode node) {
        Matcher m = OLDEST_AGE.matcher(node.get("/actuator/prometheus").body());
        assertThat(m.find()).as("the oldest-write age meter is served").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
