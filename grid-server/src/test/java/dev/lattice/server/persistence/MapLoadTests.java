package dev.lattice.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * After a restart a node must not look ready with half a map: the default map {@code records}
 * loads eagerly, readiness waits for it, and a load that fails is retried until it succeeds.
 */
class MapLoadTests {

    @Test
    void eagerLoadThatFails_isRetried_andReadinessWaitsForIt() throws Exception {
        String role = "lattice_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (TestDatabase db = PostgresFixture.createDatabase()) {
            try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                // Generated identifiers only.
                s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'x'");
                s.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + role);
                s.execute("CREATE TABLE records (id text PRIMARY KEY, value text NOT NULL)");
                s.execute("INSERT INTO records SELECT 'k' || i, 'v' || i FROM generate_series(1, 500) AS i");
                // The node may write but not read: its eager load fails until the grant below.
                s.execute("GRANT INSERT, UPDATE, DELETE ON records TO " + role);
            }
            try (GridNode node = GridNode.start(
                    "--lattice.cluster-name=load-" + UUID.randomUUID(),
                    "--lattice.network.port=" + FreePorts.one(),
                    "--lattice.datasource.url=" + db.jdbcUrl().replaceFirst("\\?.*", ""),
                    "--lattice.datasource.user=" + role,
                    "--lattice.datasource.password=x")) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    var readiness = node.get("/actuator/health/readiness");
                    assertThat(readiness.statusCode()).isEqualTo(503);
                    assertThat(readiness.body()).contains("records").contains("still loading");
                });

                try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                    s.execute("GRANT SELECT ON records TO " + role);
                }

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(node.get("/actuator/health/readiness").statusCode()).isEqualTo(200));
                assertThat(node.member().getMap("records").size()).isEqualTo(500);
                assertThat(node.member().<String, String>getMap("records").get("k250")).isEqualTo("v250");
            }
        } finally {
            PostgresFixture.executeAsAdmin("DROP ROLE IF EXISTS " + role);
        }
    }

    /**
     * With split-brain protection requiring two members, the first node alone must be ready (Kubernetes
     * starts the second pod only then) and must not load {@code records} before the second joins:
     * Hazelcast would lose part of that load. It hung at "loading [records]" for good before.
     */
    @Test
    void firstNodeBelowTheMinimumClusterSize_isReady_andLoadsOnceTheSecondJoins() throws Exception {
        try (TestDatabase db = PostgresFixture.createDatabase()) {
            try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                s.execute("CREATE TABLE records (id text PRIMARY KEY, value text NOT NULL)");
                s.execute("INSERT INTO records SELECT 'k' || i, 'v' || i FROM generate_series(1, 500) AS i");
            }
            List<Integer> ports = FreePorts.distinct(2);
            List<String> args = new ArrayList<>(List.of("--lattice.cluster-name=quorum-" + UUID.randomUUID(),
                    "--lattice.discovery.members=127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1),
                    "--lattice.split-brain-protection.minimum-cluster-size=2"));
            // With credentials: the embedded test server's URL does not carry them.
            args.addAll(GridNode.datasource(db));
            String[] common = args.toArray(String[]::new);
            try (GridNode first = GridNode.start(with(common, "--lattice.network.port=" + ports.get(0)))) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    var readiness = first.get("/actuator/health/readiness");
                    assertThat(readiness.statusCode()).isEqualTo(200);
                    assertThat(readiness.body()).contains("more member(s) join");
                });

                try (GridNode second = GridNode.start(with(common, "--lattice.network.port=" + ports.get(1)))) {
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        assertThat(first.get("/actuator/health/readiness").body()).doesNotContain("records");
                        assertThat(second.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
                    });
                    assertThat(first.member().getMap("records").size()).isEqualTo(500);
                    assertThat(second.member().<String, String>getMap("records").get("k250")).isEqualTo("v250");
                }
            }
        }
    }

    private static String[] with(String[] common, String extra) {
        String[] all = Arrays.copyOf(common, common.length + 1);
        all[common.length] = extra;
        return all;
    }
}
