package dev.lattice.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.IMap;
import dev.lattice.client.LatticeClient;
import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promise: a node on defaults persists map {@code records} to an embedded
 * PostgreSQL on disk; stop it, start it again, the data is back.
 */
class PersistenceTests {

    @Test
    void defaultNode_keepsRecordsAcrossARestart_inTheEmbeddedDatabase(@TempDir Path dataDir) throws Exception {
        String cluster = "--lattice.cluster-name=persist-" + UUID.randomUUID();
        String port = "--lattice.network.port=" + FreePorts.one();
        String data = "--lattice.datasource.embedded.data-dir=" + dataDir;
        String portArg = port.substring(port.indexOf('=') + 1);

        try (GridNode node = GridNode.start(cluster, port, "--lattice.network.port-auto-increment=false", data);
             LatticeClient client = LatticeClient.builder().addresses("127.0.0.1:" + portArg)
                     .clusterName(cluster.substring(cluster.indexOf('=') + 1)).build()) {
            IMap<String, String> records = client.map("records");
            for (int i = 0; i < 500; i++) {
                records.set("key-" + i, "value-" + i);
            }
            // Written behind after 1 s, straight to the embedded database's table.
            assertThat(node.member().getMap("records").getLocalMapStats().getOwnedEntryCount()).isEqualTo(500);
        }
        // The node above stopped gracefully, which flushes its write-behind queue before it exits.

        try (GridNode node = GridNode.start(cluster, port, "--lattice.network.port-auto-increment=false", data)) {
            IMap<String, String> records = node.member().getMap("records");
            for (int i = 0; i < 500; i++) {
                assertThat(records.get("key-" + i)).isEqualTo("value-" + i);
            }
        }
    }

    @Test
    void writeBehind_reachesTheConfiguredPostgresTable() throws Exception {
        try (GridNode node = GridNode.start("--lattice.cluster-name=table-" + UUID.randomUUID(),
                "--lattice.network.port=" + FreePorts.one(), "--lattice.network.port-auto-increment=false",
                "--lattice.maps.orders.store.mode=write-behind", "--lattice.maps.orders.store.table=customer_orders",
                "--lattice.maps.orders.store.key-type=long", "--lattice.maps.orders.store.value-type=text")) {
            IMap<Long, String> orders = node.member().getMap("orders");
            orders.set(42L, "forty-two");
            String url = node.context().getEnvironment().getProperty("lattice.datasource.url");
            String user = node.context().getEnvironment().getProperty("lattice.datasource.user");
            String password = node.context().getEnvironment().getProperty("lattice.datasource.password");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                try (Connection connection = DriverManager.getConnection(url, user, password);
                     ResultSet rows = connection.createStatement().executeQuery("select id, value from customer_orders")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).isEqualTo(42L);
                    assertThat(rows.getString(2)).isEqualTo("forty-two");
                }
            });
            // The loader's meters reach the node's Prometheus endpoint, tagged by map.
            assertThat(node.get("/actuator/prometheus").body())
                    .containsPattern("lattice_mapstore_operations_seconds_count\\{[^}]*map=\"orders\"[^}]*operation=\"store\"[^}]*outcome=\"success\"")
                    .contains("lattice_mapstore_write_behind_backlog");
        }
    }

    @Test
    void writeParallelism_isHowManyWriteBehindTransactionsANodeRunsAtOnce() throws Exception {
        try (TestDatabase database = PostgresFixture.createDatabase()) {
            List<String> args = new ArrayList<>(GridNode.datasource(database));
            args.addAll(List.of("--lattice.cluster-name=writers-" + UUID.randomUUID(),
                    "--lattice.network.port=" + FreePorts.one(), "--lattice.network.port-auto-increment=false",
                    "--lattice.datasource.pool-size=6", "--lattice.datasource.write-parallelism=3",
                    "--lattice.maps.drained.store.mode=write-behind", "--lattice.maps.drained.store.value-type=text",
                    "--lattice.maps.drained.store.write-batch-size=10"));
            try (GridNode node = GridNode.start(args.toArray(String[]::new))) {
                Map<String, String> batch = new HashMap<>();
                for (int i = 0; i < 2_000; i++) {
                    batch.put("key-" + i, "value-" + i);
                }
                // One call, so they fall due together: 200 batches, more than the writers.
                node.member().<String, String>getMap("drained").putAll(batch);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    try (Connection connection = database.connect();
                         ResultSet rows = connection.createStatement().executeQuery("select count(*) from drained")) {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.getLong(1)).isEqualTo(2_000);
                    }
                });
                // The drainer's pool starts a thread per batch until it has as many as the setting allows.
                assertThat(Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("lattice-write-behind-drained-writer"))).hasSize(3);
            }
        }
    }
}
