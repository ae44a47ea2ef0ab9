package dev.lattice.cacheloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.config.InitialLoad;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import dev.lattice.cacheloader.schema.TableSchema;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.StringReader;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EagerLoadTest {

    private static final Logger log = LoggerFactory.getLogger(EagerLoadTest.class);
    private static final int ROWS = 100_000;

    @Test
    void eagerLoad_100000Rows_areAllInTheMapWithTheirValues() throws Exception {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH).table("items")
                .initialLoad(InitialLoad.EAGER).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestDatabase db = PostgresFixture.createDatabase(); HikariDataSource pool = Fixtures.pool(db)) {
            TableSchema.migrate(pool, settings);
            seed(pool);

            Instant start = Instant.now();
            try (LocalCluster cluster = Fixtures.cluster(2, "items", settings, pool, registry, c -> { })) {
                IMap<String, HazelcastJsonValue> items = cluster.newClient().getMap("items");
                assertThat(items.size()).isEqualTo(ROWS);
                Duration took = Duration.between(start, Instant.now());
                log.info("eager load of {} rows on 2 members took {}", ROWS, took);

                assertThat(items.get("item-77777").toString()).isEqualTo("{\"n\": 77777}");
                assertThat(registry.get(MapStoreMetrics.BATCH_SIZE).tags("map", "items", "operation", "load").summary().max())
                        .as("values are loaded in batches, not one query per key").isGreaterThan(100);
            }
        }
    }

    /** COPY is the fast way to put 100,000 rows in. */
    private static void seed(HikariDataSource pool) throws Exception {
        StringBuilder data = new StringBuilder(ROWS * 24);
        for (int i = 0; i < ROWS; i++) {
            data.append("item-").append(i).append('\t').append("{\"n\":").append(i).append("}\n");
        }
        try (Connection c = pool.getConnection()) {
            long copied = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY items (id, value) FROM STDIN", new StringReader(data.toString()));
            assertThat(copied).isEqualTo(ROWS);
        }
    }
}
