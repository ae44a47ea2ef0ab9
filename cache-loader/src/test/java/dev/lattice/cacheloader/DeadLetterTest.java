package dev.lattice.cacheloader;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.jdbc.DeadLetter;
import dev.lattice.cacheloader.jdbc.DeadLetters;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A poison entry must not block the rest of its queue. One partition puts every entry in the same
 * write-behind queue, so the good entries can only land if the poison one gets out of the way.
 */
class DeadLetterTest extends DatabaseBackedTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static MapStoreSettings.Builder writeBehind(String table) {
        return MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(1)).table(table)
                .maxAttempts(3);
    }

    private LocalCluster onePartition(String map, MapStoreSettings settings) {
        return Fixtures.cluster(1, map, settings, pool, registry, c -> c.setProperty("hazelcast.partition.count", "1"));
    }

    @Test
    void writeBehind_constraintViolation_movesToDeadLetterAfterMaxAttempts_andTheRestDrains() {
        MapStoreSettings settings = writeBehind("names").valueType(ValueType.TEXT).build();
        try (LocalCluster cluster = onePartition("names", settings)) {
            Fixtures.execute(pool, "ALTER TABLE names ADD CONSTRAINT short_names CHECK (length(value) <= 10)");
            IMap<String, String> names = cluster.newClient().getMap("names");
            names.put("a", "alice");
            names.put("poison", "a name far too long for the column");
            for (int i = 0; i < 20; i++) {
                names.put("k" + i, "v" + i);
            }

            await().atMost(60, SECONDS).untilAsserted(() -> assertThat(Fixtures.rows(pool, "names")).hasSize(21)
                    .containsEntry("a", "alice").containsEntry("k19", "v19").doesNotContainKey("poison"));
            DeadLetters deadLetters = LatticeMapStores.deadLetters("names", settings, pool);
            await().atMost(10, SECONDS).until(() -> deadLetters.list(10).size() == 1);
            DeadLetter letter = deadLetters.list(10).get(0);
            assertThat(letter.mapName()).isEqualTo("names");
            assertThat(letter.key()).isEqualTo("poison");
            assertThat(letter.value()).isEqualTo("a name far too long for the column");
            assertThat(letter.attempts()).isEqualTo(3);
            assertThat(letter.error()).contains("23514").contains("short_names");
            assertThat(registry.get(MapStoreMetrics.DEAD_LETTERS).tag("map", "names").counter().count()).isEqualTo(1);
            assertThat(registry.get(MapStoreMetrics.DATABASE_ERRORS).tags("map", "names", "kind", "entry_rejected")
                    .counter().count()).isGreaterThanOrEqualTo(3);
            // The grid still holds the value: only its trip to the table was parked.
            assertThat(names.get("poison")).isEqualTo("a name far too long for the column");
        }
    }

    @Test
    void deadLetter_replayAfterTheOperatorFixesTheTable_writesTheRowAndRemovesTheLetter() {
        MapStoreSettings settings = writeBehind("names").valueType(ValueType.TEXT).maxAttempts(1).build();
        try (LocalCluster cluster = onePartition("names", settings)) {
            Fixtures.execute(pool, "ALTER TABLE names ADD CONSTRAINT short_names CHECK (length(value) <= 10)");
            IMap<String, String> names = cluster.newClient().getMap("names");
            names.put("long", "a very long name indeed");
            names.put("short", "bob");
            DeadLetters deadLetters = LatticeMapStores.deadLetters("names", settings, pool);
            await().atMost(30, SECONDS).until(() -> deadLetters.list(10).size() == 1
                    && Fixtures.rows(pool, "names").containsKey("short"));
            long id = deadLetters.list(10).get(0).id();

            assertThatThrownBy(() -> deadLetters.replay(id)).as("still refused while the constraint is there")
                    .hasMessageContaining("replaying dead letter " + id).hasMessageContaining("23514");
        }
        DeadLetters deadLetters = LatticeMapStores.deadLetters("names", settings, pool);
        assertThat(deadLetters.list(10)).as("a failed replay keeps the letter").hasSize(1);

        Fixtures.execute(pool, "ALTER TABLE names DROP CONSTRAINT short_names");
        long id = deadLetters.list(10).get(0).id();
        assertThat(deadLetters.replay(id)).isTrue();
        assertThat(Fixtures.rows(pool, "names")).containsEntry("long", "a very long name indeed").containsEntry("short", "bob");
        assertThat(deadLetters.list(10)).isEmpty();
        assertThat(deadLetters.replay(id)).as("replayed once only").isFalse();
    }

    @Test
    void deadLetter_invalidJsonAndUnserialisableValue_areParkedAndCanBeDropped() {
        MapStoreSettings settings = writeBehind("docs").build();
        try (LocalCluster cluster = onePartition("docs", settings)) {
            IMap<String, Object> docs = cluster.member(0).getMap("docs");
            docs.put("broken", new HazelcastJsonValue("{not json"));
            docs.put("opaque", new Unwritable());
            docs.put("fine", new HazelcastJsonValue("{\"ok\":true}"));

            DeadLetters deadLetters = LatticeMapStores.deadLetters("docs", settings, pool);
            await().atMost(60, SECONDS).untilAsserted(() -> {
                assertThat(Fixtures.rows(pool, "docs")).containsOnlyKeys("fine");
                assertThat(deadLetters.list(10)).extracting(DeadLetter::key).containsExactlyInAnyOrder("broken", "opaque");
            });
            List<DeadLetter> letters = deadLetters.list(10);
            DeadLetter opaque = letters.stream().filter(l -> l.key().equals("opaque")).findFirst().orElseThrow();
            assertThat(opaque.error()).contains("can not be serialised to JSON");

            assertThat(deadLetters.drop(opaque.id())).isTrue();
            assertThat(deadLetters.list(10)).extracting(DeadLetter::key).containsExactly("broken");
            assertThat(Fixtures.rows(pool, "docs")).containsOnlyKeys("fine");
        }
    }

    @Test
    void writeBehind_deleteBatchWithOneRefusedKey_deletesTheOthers_andParksOnlyTheRefusedOne() {
        MapStoreSettings settings = writeBehind("parents").valueType(ValueType.TEXT).maxAttempts(2).build();
        try (LocalCluster cluster = onePartition("parents", settings)) {
            IMap<String, String> parents = cluster.newClient().getMap("parents");
            for (int i = 0; i < 10; i++) {
                parents.set("p" + i, "parent " + i);
            }
            await().atMost(30, SECONDS).until(() -> Fixtures.rows(pool, "parents").size() == 10);
            // A row elsewhere still points at p3: PostgreSQL refuses to delete it (23503).
            Fixtures.execute(pool, "CREATE TABLE children (id int PRIMARY KEY, parent text REFERENCES parents (id))");
            Fixtures.execute(pool, "INSERT INTO children VALUES (1, 'p3')");
            for (int i = 0; i < 10; i++) {
                parents.delete("p" + i);
            }
            parents.set("after", "still flowing");

            DeadLetters deadLetters = LatticeMapStores.deadLetters("parents", settings, pool);
            await().atMost(60, SECONDS).untilAsserted(() -> {
                assertThat(Fixtures.rows(pool, "parents")).containsOnlyKeys("p3", "after");
                assertThat(deadLetters.list(10)).extracting(DeadLetter::key).containsExactly("p3");
            });
            DeadLetter refused = deadLetters.list(10).get(0);
            assertThat(refused.value()).as("a rejected delete has no value").isNull();
            assertThat(refused.error()).contains("23503");
        }
    }

    /** Serialisable for Hazelcast, but Jackson can not write it: its only property throws. */
    public static final class Unwritable implements Serializable {
        public String getSecret() {
            throw new IllegalStateException("no JSON for you");
        }
    }
}
