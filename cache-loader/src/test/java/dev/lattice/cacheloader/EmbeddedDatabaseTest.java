package dev.lattice.cacheloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.embedded.EmbeddedDatabase;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
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
             LocalCluster cluster = Fixtures.cluster(1, "notes", SETTINGS, pool, new SimpleMeterRegistry(), c -> { })) {
            IMap<String, HazelcastJsonValue> notes = cluster.member(0).getMap("notes");
            notes.set("hello", new HazelcastJsonValue("{\"text\":\"world\"}"));
            // A graceful stop flushes the write-behind queue before the database goes away.
            cluster.shutdown(0);
        }

        try (EmbeddedDatabase database = EmbeddedDatabase.start(data, 0);
             HikariDataSource pool = LatticeMapStores.dataSource(database.dataSourceSettings(2), "embedded");
             LocalCluster cluster = Fixtures.cluster(1, "notes", SETTINGS, pool, new SimpleMeterRegistry(), c -> { })) {
            IMap<String, HazelcastJsonValue> notes = cluster.member(0).getMap("notes");
            assertThat(notes.get("hello").toString()).isEqualTo("{\"text\": \"world\"}");
            assertThat(database.dataDirectory()).isEqualTo(data.toAbsolutePath());
        }
    }
}
