package dev.lattice.cacheloader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastJsonValue;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.LatticeMapStores;
import dev.lattice.cacheloader.config.DataSourceSettings;
import dev.lattice.cacheloader.config.KeyType;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.jdbc.TableWriter.Outcome;
import dev.lattice.cacheloader.jdbc.TableWriter.Result;
import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import dev.lattice.cacheloader.schema.TableSchema;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A batch goes to the table as one statement of arrays ({@link FencedBatch}): every key and value
 * type must come back exactly as written, whatever characters it holds, deletes included, and a
 * batch must not write a partition another member claimed.
 */
class FencedBatchTest {

    private static final int PARTITION = 5;

    private TestDatabase db;
    private HikariDataSource pool;
    private MapTable table;
    private TableWriter writer;
    private final FixedView view = new FixedView(UUID.randomUUID(), UUID.randomUUID(), 1, PARTITION, 7);

    @BeforeEach
    void createDatabase() {
        db = PostgresFixture.createDatabase();
        pool = LatticeMapStores.dataSource(DataSourceSettings.builder().url(db.jdbcUrl()).user(db.user())
                .password(db.password()).poolSize(2).build(), db.name());
    }

    @AfterEach
    void dropDatabase() {
        pool.close();
        db.close();
    }

    private void prepare(KeyType keyType, ValueType valueType) {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).table("batched")
                .keyType(keyType).valueType(valueType).build();
        TableSchema.prepare(pool, settings);
        table = new MapTable("batched", settings, pool, new MapStoreMetrics(new SimpleMeterRegistry(), "batched"));
        writer = new TableWriter(table, new Fence("batched", table.metrics()), 1);
    }

    @ParameterizedTest
    @EnumSource(ValueType.class)
    void everyValueType_comesBackAsWritten_andADeleteInTheSameBatchRemovesItsRow(ValueType type) throws SQLException {
        prepare(KeyType.STRING, type);
        List<Object> values = samples(type);
        assertStored(writer.write(List.of(new Write("doomed", values.get(0), PARTITION, null)), view));

        List<Write> batch = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            batch.add(new Write("k" + i, values.get(i), PARTITION, null));
        }
        batch.add(new Write("doomed", null, PARTITION, null));
        assertStored(writer.write(batch, view));

        for (int i = 0; i < values.size(); i++) {
            assertThat(read("k" + i)).as("value %s", i).isEqualTo(values.get(i));
        }
        assertThat(read("doomed")).as("deleted in the batch").isNull();
    }

    @Test
    void stringKeysAndTextValuesWithArraySyntaxInThem_areStoredAsGiven() throws SQLException {
        prepare(KeyType.STRING, ValueType.TEXT);
        List<String> awkward = List.of("", "NULL", "null", "a,b", "{x}", "{\"y\"}", "quo\"te", "back\\slash", " spaced ",
                "ünï©ødé ✓", "line\nbreak", "tab\there", "(1,2)");
        List<Write> batch = new ArrayList<>();
        awkward.forEach(s -> batch.add(new Write("key " + s, "value " + s, PARTITION, null)));
        batch.add(new Write("", "the empty key", PARTITION, null));
        assertStored(writer.write(batch, view));

        for (String s : awkward) {
            assertThat(read("key " + s)).as("key %s", s).isEqualTo("value " + s);
        }
        assertThat(read("")).isEqualTo("the empty key");
        assertThat(count()).isEqualTo(awkward.size() + 1);
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"LONG", "UUID"})
    void longAndUuidKeys_areStoredAndDeletedByBatch(KeyType keyType) throws SQLException {
        prepare(keyType, ValueType.TEXT);
        List<Object> keys = keyType == KeyType.LONG ? List.of(Long.MIN_VALUE, 0L, Long.MAX_VALUE)
                : List.of(UUID.randomUUID(), UUID.randomUUID(), new UUID(0, 0));
        List<Write> batch = new ArrayList<>();
        keys.forEach(k -> batch.add(new Write(k, "v" + k, PARTITION, null)));
        assertStored(writer.write(batch, view));
        for (Object k : keys) {
            assertThat(read(k)).isEqualTo("v" + k);
        }

        assertStored(writer.write(List.of(new Write(keys.get(0), null, PARTITION, null), new Write(keys.get(1), null, PARTITION, null)),
                view));
        assertThat(read(keys.get(0))).isNull();
        assertThat(read(keys.get(1))).isNull();
        assertThat(read(keys.get(2))).isEqualTo("v" + keys.get(2));
    }

    @Test
    void aPartitionAnotherMemberClaimed_isFencedOut_whileTheBatchsOtherPartitionsAreWritten() throws SQLException {
        prepare(KeyType.STRING, ValueType.TEXT);
        int other = PARTITION + 1;
        // This member claims both partitions, then another member takes one over.
        assertStored(writer.write(List.of(new Write("a", "1", PARTITION, null), new Write("b", "1", other, null)), view));
        // (What another member's claim does to the epoch row; a FixedView would claim every partition.)
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE " + Fence.TABLE + " SET epoch = epoch + 1, owner_member = ? WHERE map_name = 'batched' AND partition_id = ?")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setInt(2, other);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        Result result = writer.write(List.of(new Write("a", "2", PARTITION, null), new Write("b", "2", other, null)), view);

        assertThat(result.outcome(0)).isEqualTo(Outcome.STORED);
        assertThat(result.outcome(1)).isEqualTo(Outcome.FENCED);
        assertThat(read("a")).isEqualTo("2");
        assertThat(read("b")).as("the new owner's partition keeps its row").isEqualTo("1");
    }

    private static List<Object> samples(ValueType type) {
        return switch (type) {
            // jsonb's own text form, which is what reads back
            case JSON -> List.of(new HazelcastJsonValue("{\"a\": 1, \"s\": \"x\\\"y,{z}\"}"), new HazelcastJsonValue("[]"),
                    new HazelcastJsonValue("null"));
            case TEXT -> List.of("plain", "NULL", "{a,b}", "quo\"te back\\slash", "");
            case LONG -> List.of(Long.MIN_VALUE, 0L, Long.MAX_VALUE);
            case INTEGER -> List.of(Integer.MIN_VALUE, 0, 42);
            case DOUBLE -> List.of(1.5, Double.NaN, Double.POSITIVE_INFINITY, 1e-300);
            case BOOLEAN -> List.of(true, false);
            case DECIMAL -> List.of(new BigDecimal("12345678901234567890.123456789"), new BigDecimal("-1.50"), BigDecimal.ZERO);
            case UUID -> List.of(UUID.randomUUID(), new UUID(0, 0));
            case BYTES -> List.of(new byte[] {0, 1, 2, (byte) 255}, new byte[0], "\\x{,}\"".getBytes());
        };
    }

    private static void assertStored(Result result) {
        assertThat((Throwable) result.databaseFailure()).isNull();
        for (Outcome other : List.of(Outcome.REJECTED, Outcome.FENCED, Outcome.WAITING, Outcome.NOT_ATTEMPTED)) {
            assertThat(result.count(other)).as("writes %s", other).isZero();
        }
    }

    private Object read(Object key) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(table.sql().selectOne)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? table.values().read(rs, 1) : null;
            }
        }
    }

    private long count() throws SQLException {
        try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM batched")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
