package dev.lattice.cacheloader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.LatticeMapStores;
import dev.lattice.cacheloader.config.DataSourceSettings;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TableWriter#writeAllOrNothing}, which a write-through {@code putAll} uses per partition:
 * one refused entry writes none of the batch, and every refused entry is named with its own reason.
 */
class AllOrNothingWritesTest {

    private static final int PARTITION = 3;

    private TestDatabase db;
    private HikariDataSource pool;
    private TableWriter writer;
    private final FixedView view = new FixedView(UUID.randomUUID(), UUID.randomUUID(), 1, PARTITION, 7);

    @BeforeEach
    void createTable() throws SQLException {
        db = PostgresFixture.createDatabase();
        pool = LatticeMapStores.dataSource(DataSourceSettings.builder().url(db.jdbcUrl()).user(db.user())
                .password(db.password()).poolSize(2).build(), db.name());
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_THROUGH).table("parcels")
                .valueType(ValueType.TEXT).build();
        TableSchema.prepare(pool, settings);
        MapTable table = new MapTable("parcels", settings, pool, new MapStoreMetrics(new SimpleMeterRegistry(), "parcels"));
        writer = new TableWriter(table, new Fence("parcels", table.metrics()), 1);
        execute("ALTER TABLE parcels ADD CONSTRAINT parcels_not_refused CHECK (value NOT LIKE 'refused%')");
    }

    @AfterEach
    void dropDatabase() {
        pool.close();
        db.close();
    }

    @Test
    void aBatchWithoutRefusals_isStoredWhole_deletesIncluded() throws SQLException {
        assertThat(writer.writeAllOrNothing(List.of(write("a", "1"), write("b", "2")), view).outcome(1)).isEqualTo(Outcome.STORED);

        Result result = writer.writeAllOrNothing(List.of(write("a", null), write("b", "3"), write("c", "4")), view);

        assertThat(List.of(result.outcome(0), result.outcome(1), result.outcome(2))).containsOnly(Outcome.STORED);
        assertThat(rows()).isEqualTo(Map.of("b", "3", "c", "4"));
    }

    @Test
    void refusedEntries_writeNothingOfTheBatch_andEachIsNamedWithItsOwnReason() throws SQLException {
        writer.writeAllOrNothing(List.of(write("a", "old-a"), write("b", "old-b")), view);

        Result result = writer.writeAllOrNothing(List.of(write("a", "new-a"), write("x", "refused-1"), write("b", null),
                write("y", "refused-2"), write("c", "new-c")), view);

        assertThat(rows()).as("the table, untouched").isEqualTo(Map.of("a", "old-a", "b", "old-b"));
        assertThat(List.of(result.outcome(0), result.outcome(2), result.outcome(4))).containsOnly(Outcome.NOT_ATTEMPTED);
        assertThat(List.of(result.outcome(1), result.outcome(3))).containsOnly(Outcome.REJECTED);
        assertThat(result.error(1)).hasMessageContaining("parcels_not_refused");
        assertThat(result.error(3)).hasMessageContaining("parcels_not_refused");
        assertThat((Throwable) result.databaseFailure()).isNull();
    }

    @Test
    void anEntryOfAPartitionTakenOver_writesNothingOfTheBatch() throws SQLException {
        UUID cluster = view.clusterId();
        writer.writeAllOrNothing(List.of(new Write("a", "old-a", PARTITION, null)), view);
        // Another member, at a newer partition version, owns partition 4 only and takes it over.
        FixedView newer = new FixedView(cluster, UUID.randomUUID(), 2, 4, 7);
        Ownership ownsOnlyFour = new Ownership() {
            @Override public UUID clusterId() { return newer.clusterId(); }
            @Override public UUID memberId() { return newer.memberId(); }
            @Override public int partitionVersion(int partitionId) { return newer.partitionVersion(partitionId); }
            @Override public boolean owns(int partitionId) { return partitionId == 4; }
            @Override public int partitionOf(Object key) { return 4; }
            @Override public int partitionCount() { return newer.partitionCount(); }
            @Override public int clusterSize() { return newer.clusterSize(); }
            @Override public boolean hearsMinimum() { return true; }
        };
        assertThat(writer.write(List.of(new Write("b", "old-b", 4, null)), ownsOnlyFour).outcome(0)).isEqualTo(Outcome.STORED);

        Result result = writer.writeAllOrNothing(List.of(new Write("a", "new-a", PARTITION, null), new Write("b", "new-b", 4, null)),
                view);

        assertThat(result.outcome(1)).isEqualTo(Outcome.FENCED);
        assertThat(result.outcome(0)).isEqualTo(Outcome.NOT_ATTEMPTED);
        assertThat(rows()).isEqualTo(Map.of("a", "old-a", "b", "old-b"));
    }

    private static Write write(String key, String value) {
        return new Write(key, value, PARTITION, null);
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }

    private Map<String, String> rows() throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id, value FROM parcels");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }
}
