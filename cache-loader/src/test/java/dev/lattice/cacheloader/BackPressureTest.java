package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.IMap;
import com.hazelcast.map.ReachedMaxSizeException;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TcpProxy;
import dev.lattice.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A full write-behind queue pushes back on the caller: the write fails with
 * {@link ReachedMaxSizeException} and is not kept, and every write accepted before it still lands.
 * Hazelcast bounds the queue only without coalescing ({@code hazelcast.map.write.behind.queue.capacity}).
 */
class BackPressureTest {

    @Test
    void writeBehindQueueFull_callerGetsReachedMaxSize_andEveryAcceptedWriteLands() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(1))
                .writeCoalescing(false).table("events").valueType(ValueType.TEXT).maxRetryBackoff(Duration.ofSeconds(1)).build();
        try (TestDatabase db = PostgresFixture.createDatabase();
             HikariDataSource direct = Fixtures.pool(db);
             TcpProxy proxy = TcpProxy.start(Fixtures.host(db), Fixtures.port(db));
             HikariDataSource viaProxy = Fixtures.pool(Fixtures.viaPort(db, proxy.port()), db);
             LocalCluster cluster = Fixtures.cluster(1, "events", settings, viaProxy, new SimpleMeterRegistry(),
                     c -> c.setProperty("hazelcast.map.write.behind.queue.capacity", "300"))) {
            IMap<String, String> events = cluster.newClient().getMap("events");
            proxy.cut();
            Map<String, String> accepted = new HashMap<>();
            ReachedMaxSizeException pushedBack = null;
            for (int i = 0; i < 1000 && pushedBack == null; i++) {
                try {
                    events.set("e" + i, "v" + i);
                    accepted.put("e" + i, "v" + i);
                } catch (ReachedMaxSizeException e) {
                    pushedBack = e;
                }
            }

            assertThat(pushedBack).as("the caller is told the queue is full").isNotNull();
            assertThat(pushedBack.getMessage()).contains("300");
            assertThat(accepted).hasSize(300);

            proxy.restore();
            await().atMost(60, SECONDS).untilAsserted(() -> assertThat(Fixtures.rows(direct, "events")).isEqualTo(accepted));
            assertThat(events.containsKey("e300")).as("the refused write was not kept").isFalse();
            events.set("e300", "v300");
            await().atMost(30, SECONDS).untilAsserted(() -> assertThat(Fixtures.rows(direct, "events")).containsEntry("e300", "v300"));
        }
    }
}
