package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import dev.lattice.cacheloader.config.KeyType;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Cached values can be personal data or secrets: when the database rejects them, the logs and the
 * errors callers see name the key and the error code, never the value, even where PostgreSQL's own
 * message would echo it ("Failing row contains (...)", "invalid input syntax for type uuid: ...").
 */
class LogsWithoutValuesTest extends DatabaseBackedTest {

    private static final String SECRET = "s3cr3t-" + UUID.randomUUID();

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger root;

    @BeforeEach
    void captureLogs() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(logs);
    }

    @Test
    void rejectedWriteBehindValues_areParked_withoutTheValueInAnyLogLine() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(1))
                .maxAttempts(2).table("secrets").valueType(ValueType.TEXT).build();
        try (LocalCluster cluster = Fixtures.cluster(1, "secrets", settings, pool, new SimpleMeterRegistry(), c -> { })) {
            Fixtures.execute(pool, "ALTER TABLE secrets ADD CONSTRAINT short CHECK (length(value) < 10)");
            IMap<String, String> secrets = cluster.newClient().getMap("secrets");
            for (int i = 0; i < 20; i++) {
                secrets.set("k" + i, "ok");
            }
            secrets.set("card", SECRET);

            await().atMost(30, SECONDS).until(() -> LatticeMapStores.deadLetters("secrets", settings, pool).list(10).size() == 1);
        }
        assertThat(logs.list).as("the rejection was logged").anyMatch(e -> e.getFormattedMessage().contains("card"));
        assertNoLogHolds(SECRET);
    }

    @Test
    void rejectedWriteThroughValues_failTheCaller_withoutTheValueInTheErrorOrTheLogs() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH).table("tokens")
                .keyType(KeyType.STRING).valueType(ValueType.JSON).build();
        try (LocalCluster cluster = Fixtures.cluster(1, "tokens", settings, pool, new SimpleMeterRegistry(), c -> { })) {
            IMap<String, HazelcastJsonValue> tokens = cluster.newClient().getMap("tokens");
            // Invalid JSON: PostgreSQL's detail would quote the offending token.
            assertThatThrownBy(() -> tokens.set("token", new HazelcastJsonValue("{" + SECRET)))
                    .hasMessageContaining("rejected key token").satisfies(e -> assertThat(chain(e)).doesNotContain(SECRET));
        }
        assertNoLogHolds(SECRET);
    }

    private void assertNoLogHolds(String secret) {
        for (ILoggingEvent event : logs.list) {
            assertThat(event.getFormattedMessage()).as("log line of %s", event.getLoggerName()).doesNotContain(secret);
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).as("logged exception of %s", event.getLoggerName()).doesNotContain(secret);
            }
        }
    }

    private static String chain(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
