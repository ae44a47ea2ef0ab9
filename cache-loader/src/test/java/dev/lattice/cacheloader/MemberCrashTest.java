package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.IMap;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of a member during write-behind, with one backup: every acknowledged write must reach
 * the table, with the last acknowledged value per key. (Verified to fail with backup-count 0.) The ledger records a write only after the
 * call returned; a call that failed while the member died is repeated with the same value until
 * it is acknowledged, so the ledger is exact.
 */
class MemberCrashTest {

    private static final Logger log = LoggerFactory.getLogger(MemberCrashTest.class);

    @Test
    void memberKilledDuringWriteBehind_everyAcknowledgedWriteReachesTheTable() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(3))
                .writeBatchSize(100).table("ledger").valueType(ValueType.TEXT).build();
        try (TestDatabase db = PostgresFixture.createDatabase();
             HikariDataSource pool = Fixtures.pool(db);
             LocalCluster cluster = Fixtures.cluster(3, "ledger", settings, pool, new SimpleMeterRegistry(), c -> { })) {
            IMap<String, String> map = cluster.newClient().getMap("ledger");
            Map<String, String> ledger = new HashMap<>();
            int retried = 0;
            for (int op = 0; op < 6000; op++) {
                if (op == 3000) {
                    cluster.terminate(1);
                }
                // Before the crash: 3000 distinct keys, most still queued when the member dies. After: every
                // other old key gets a new value, and new keys; the odd old keys have only pre-crash values,
                // so they reach the table only if the dead member's queue survived on its backups.
                String key = op < 3000 ? "k" + op : op % 2 == 0 ? "k" + (op - 3000) : "n" + op;
                String value = "v" + op;
                for (int attempt = 1; ; attempt++) {
                    try {
                        map.set(key, value);
                        break;
                    } catch (RuntimeException e) {
                        retried++;
                        assertThat(attempt).as("attempts at writing %s during the crash", key).isLessThan(1_000);
                    }
                }
                ledger.put(key, value);
            }
            log.info("ledger of {} keys, {} calls repeated after failing during the crash", ledger.size(), retried);

            cluster.awaitSafe(Duration.ofSeconds(60));
            await().atMost(60, SECONDS).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        Map<String, String> rows = Fixtures.rows(pool, "ledger");
                        Map<String, String> wrong = new HashMap<>();
                        ledger.forEach((k, v) -> {
                            if (!v.equals(rows.get(k))) {
                                wrong.put(k, "acknowledged " + v + ", table has " + rows.get(k));
                            }
                        });
                        assertThat(wrong).as("acknowledged writes missing or stale in the table").isEmpty();
                        assertThat(rows).hasSameSizeAs(ledger);
                    });
        }
    }
}
