package dev.lattice.cacheloader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.LatticeMapStores;
import dev.lattice.cacheloader.config.DataSourceSettings;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A member cut off from the others lists them until failure detection removes them, one at a time.
 * A cut-off master that had removed one of two saw two members, the minimum, and took over the
 * partitions the removed member owned: it claimed them in the table and wrote its backup copies'
 * older writes, so a key the other side had deleted meanwhile got its row back (fault suite,
 * partition with deletes, seed 415). Listing enough members is not enough to claim a partition:
 * the member must have heard from enough of them lately.
 */
class UnheardMembersTest {

    private static final int PARTITION = 7;
    private static final int PARTITIONS = 11;

    private TestDatabase db;
    private HikariDataSource pool;
    private MapTable table;

    /** A member that lists three members (the minimum is 2) and owns every partition, at one version. */
    private static FixedView view(UUID cluster, UUID member, int version, boolean hearsMinimum) {
        return new FixedView(cluster, member, version, PARTITION, PARTITIONS, hearsMinimum);
    }

    @BeforeEach
    void createTable() {
        db = PostgresFixture.createDatabase();
        pool = LatticeMapStores.dataSource(DataSourceSettings.builder().url(db.jdbcUrl()).user(db.user())
                .password(db.password()).poolSize(2).build(), db.name());
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).table("unheard")
                .valueType(ValueType.TEXT).build();
        TableSchema.prepare(pool, settings);
        table = new MapTable("unheard", settings, pool, new MapStoreMetrics(new SimpleMeterRegistry(), "unheard"));
    }

    @AfterEach
    void dropDatabase() {
        pool.close();
        db.close();
    }

    @Test
    void aMemberThatListsEnoughMembersButHearsNone_doesNotTakeOverAPartition_andItsWriteWaits() throws SQLException {
        TableWriter writer = new TableWriter(table, new Fence("unheard", table.metrics()), 2);
        UUID cluster = UUID.randomUUID();
        UUID owner = UUID.randomUUID();
        UUID cutOff = UUID.randomUUID();
        assertThat(writer.write(List.of(write("k", "deleted-later")), view(cluster, owner, 4, true)).outcome(0))
                .isEqualTo(TableWriter.Outcome.STORED);
        assertThat(writer.write(List.of(write("k", null)), view(cluster, owner, 4, true)).outcome(0))
                .isEqualTo(TableWriter.Outcome.STORED);

        // The cut-off member promoted its backup copy (a newer partition version) but hears nobody.
        TableWriter.Result stale = writer.write(List.of(write("k", "deleted-later")), view(cluster, cutOff, 6, false));

        assertThat(stale.outcome(0)).isEqualTo(TableWriter.Outcome.WAITING);
        assertThat(row("k")).as("the deleted key's row").isNull();
        // Heard from enough members again, the same member may claim the partition.
        assertThat(writer.write(List.of(write("k", "later")), view(cluster, cutOff, 6, true)).outcome(0))
                .isEqualTo(TableWriter.Outcome.STORED);
        assertThat(row("k")).isEqualTo("later");
    }

    private static TableWriter.Write write(String key, String value) {
        return new TableWriter.Write(key, value, PARTITION, null);
    }

    private String row(String key) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT value FROM unheard WHERE id = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
