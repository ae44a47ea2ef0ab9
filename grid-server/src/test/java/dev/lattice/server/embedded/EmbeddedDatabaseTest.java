package dev.lattice.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.LatticeMapStores;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-setup default keeps its data on disk: stop everything, start again, the data is back. */
class EmbeddedDatabaseTest {

    private static final MapStoreSettings SETTINGS = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND)
            .writeDelay(Duration.ofSeconds(30)).table("notes").build();

    @Test
    void embeddedDatabase_stopAndStartAgain_dataIsBack(@TempDir Path dir) {
        Path data = dir.resolve("data/postgres");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(data, 0);
             HikariDataSource pool = LatticeMapStores.dataSource(database.dataSourceSettings(2), "embedded");
             LocalCluster cluster = notesCluster(pool)) {
            IMap<String, HazelcastJsonValue> notes = cluster.member(0).getMap("notes");
            notes.set("hello", new HazelcastJsonValue("{\"text\":\"world\"}"));
            // A graceful stop flushes the write-behind queue before the database goes away.
            cluster.shutdown(0);
        }

        try (EmbeddedDatabase database = EmbeddedDatabase.start(data, 0);
             HikariDataSource pool = LatticeMapStores.dataSource(database.dataSourceSettings(2), "embedded");
             LocalCluster cluster = notesCluster(pool)) {
            IMap<String, HazelcastJsonValue> notes = cluster.member(0).getMap("notes");
            assertThat(notes.get("hello").toString()).isEqualTo("{\"text\": \"world\"}");
            assertThat(database.dataDirectory()).isEqualTo(data.toAbsolutePath());
        }
    }

    @Test
    void embeddedDatabase_commitsDurably_unlikeATestDatabase(@TempDir Path dir) throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("data/postgres"), 0);
             Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password())) {
            for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
                try (java.sql.ResultSet rs = connection.createStatement().executeQuery("SHOW " + setting)) {
                    rs.next();
                    assertThat(rs.getString(1)).as(setting).isEqualTo("on");
                }
            }
        }
    }

    @Test
    void twoNodesOnOneDataDirectory_shareOneServer_andTheLastToCloseStopsIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data/postgres");
        EmbeddedDatabase first = EmbeddedDatabase.start(data, 0);
        EmbeddedDatabase second = EmbeddedDatabase.start(data, 0);
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        try {
            assertThat(first.startedHere()).isTrue();
            assertThat(second.startedHere()).isFalse();
            assertThat(second.port()).isEqualTo(first.port());

            try (Connection secondNodesConnection = DriverManager.getConnection(second.jdbcUrl(), second.user(), second.password())) {
                secondNodesConnection.createStatement().execute("CREATE TABLE shared (id int PRIMARY KEY)");
                // The node that started the server leaves first: the other one still uses it.
                first.close();
                assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).contains(true);
                secondNodesConnection.createStatement().execute("INSERT INTO shared VALUES (1)");
            }
            second.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false) == false);
            assertThat(data.resolve("postmaster.pid")).doesNotExist();
        } finally {
            ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroy);
        }
    }

    @Test
    void embeddedDatabase_refusesConnectionsWithoutThePassword_andNodesAreNoSuperuser(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data/postgres");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(data, 0)) {
            String url = database.jdbcUrl();
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", null)).as("superuser without a password")
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url, database.user(), null)).as("node role without a password")
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url, database.user(), "wrong")).isInstanceOf(SQLException.class);
            try (Connection node = DriverManager.getConnection(url, database.user(), database.password());
                 ResultSet rs = node.createStatement().executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("the nodes' role is a superuser").isFalse();
            }
            for (String file : List.of(".lattice-password", ".lattice-admin-password")) {
                assertThat(Files.getPosixFilePermissions(data.resolve(file))).as(file)
                        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            }
        }
        // And after a restart, with the passwords from the files.
        try (EmbeddedDatabase again = EmbeddedDatabase.start(data, 0);
             Connection node = DriverManager.getConnection(again.jdbcUrl(), again.user(), again.password())) {
            assertThat(node.isValid(2)).isTrue();
        }
    }

    private static LocalCluster notesCluster(HikariDataSource pool) {
        return LocalCluster.builder().members(1).customize(config -> LatticeMapStores.configureMember(config).getMapConfig("notes")
                .setMapStoreConfig(LatticeMapStores.mapStoreConfig("notes", SETTINGS, pool, new SimpleMeterRegistry()))).start();
    }
}
