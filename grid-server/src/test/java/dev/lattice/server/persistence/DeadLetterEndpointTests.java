package dev.lattice.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.IMap;
import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An operator inspects, replays and drops dead letters over HTTP: an entry the table refuses
 * (here a CHECK constraint) is parked, listed, replayed once the constraint is fixed, or dropped.
 */
class DeadLetterEndpointTests {

    private static final String USER = "operator";
    private static final String PASSWORD = "s3cret";

    @Test
    void rejectedEntries_canBeListedReplayedAndDropped_byAnAuthenticatedOperator() throws Exception {
        try (TestDatabase db = PostgresFixture.createDatabase()) {
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE orders (id text PRIMARY KEY, value text NOT NULL CHECK (length(value) <= 5))");
            }
            List<String> args = new ArrayList<>(List.of(
                    "--lattice.cluster-name=dead-" + UUID.randomUUID(),
                    "--lattice.network.port=" + FreePorts.one(),
                    "--lattice.maps.orders.store.mode=write-behind",
                    "--lattice.maps.orders.store.value-type=text",
                    "--lattice.maps.orders.store.max-attempts=1",
                    "--management.endpoints.web.exposure.include=health,deadletters",
                    "--lattice.admin.user=" + USER,
                    "--lattice.admin.password=" + PASSWORD));
            args.addAll(GridNode.datasource(db));
            try (GridNode node = GridNode.start(args.toArray(String[]::new))) {
                IMap<String, String> orders = node.member().getMap("orders");
                orders.set("ok", "fine");
                orders.set("long-1", "far too long");
                orders.set("long-2", "also too long");

                assertThat(node.get("/actuator/deadletters/orders").statusCode()).isEqualTo(401);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(node.get("/actuator/deadletters/orders", USER, PASSWORD).body())
                                .contains("long-1").contains("long-2").contains("far too long"));
                assertThat(rows(db, "SELECT count(*) FROM orders")).isEqualTo(1);

                HttpResponse<String> dropped = node.send("DELETE", "/actuator/deadletters/orders/" + letterId(db, "long-2"), USER, PASSWORD);
                assertThat(dropped.statusCode()).isEqualTo(200);
                assertThat(dropped.body()).isEqualTo("true");

                try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                    statement.execute("ALTER TABLE orders DROP CONSTRAINT orders_value_check");
                }
                HttpResponse<String> replayed = node.send("POST", "/actuator/deadletters/orders/" + letterId(db, "long-1"), USER, PASSWORD);
                assertThat(replayed.statusCode()).isEqualTo(200);

                assertThat(rows(db, "SELECT count(*) FROM orders WHERE id = 'long-1' AND value = 'far too long'")).isEqualTo(1);
                assertThat(rows(db, "SELECT count(*) FROM orders WHERE id = 'long-2'")).isZero();
                assertThat(node.get("/actuator/deadletters/orders", USER, PASSWORD).body()).isEqualTo("[]");
                assertThat(node.get("/actuator/deadletters/unbacked", USER, PASSWORD).statusCode()).isEqualTo(400);
            }
        }
    }

    private static long letterId(TestDatabase db, String key) throws Exception {
        try (Connection connection = db.connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT id FROM lattice_dead_letter WHERE map_name = 'orders' AND entry_key = ?")) {
            query.setString(1, key);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("dead letter for %s", key).isTrue();
                return rs.getLong(1);
            }
        }
    }

    private static int rows(TestDatabase db, String query) throws Exception {
        try (Connection connection = db.connect(); ResultSet rs = connection.createStatement().executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
