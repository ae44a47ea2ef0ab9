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
import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One member's threads racing on a partition whose version changed under them (a backup was
 * promoted after a member crashed): one thread still writes with the epoch of its old claim while
 * another has already claimed the new version. The old epoch is then stale, but only because of
 * the member's own newer claim: that is not a takeover. A member that took it for one stopped
 * writing partitions it owned, and their queued writes never reached the table (the kill -9 fault
 * scenario lost hundreds of acknowledged writes this way).
 */
class OwnClaimRaceTest {

    private static final int PARTITION = 7;

    private TestDatabase db;
    private HikariDataSource pool;
    private MapTable table;

    private static final int PARTITIONS = 11;

    /** A member that owns every partition, at one version. */
    private static FixedView view(UUID cluster, UUID member, int version) {
        return new FixedView(cluster, member, version, PARTITION, PARTITIONS);
    }

    @BeforeEach
    void createTable() {
        db = PostgresFixture.createDatabase();
        pool = LatticeMapStores.dataSource(DataSourceSettings.builder().url(db.jdbcUrl()).user(db.user())
                .password(db.password()).poolSize(4).build(), db.name());
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).table("raced")
                .valueType(ValueType.TEXT).build();
        TableSchema.prepare(pool, settings);
        table = new MapTable("raced", settings, pool, new MapStoreMetrics(new SimpleMeterRegistry(), "raced"));
    }

    @AfterEach
    void dropDatabase() {
        pool.close();
        db.close();
    }

    @Test
    void aBatchHoldingTheEpochItsOwnMemberReplaced_isNotFenced_andThePartitionStaysWritable() throws SQLException {
        Fence fence = new Fence("raced", table.metrics());
        UUID cluster = UUID.randomUUID();
        UUID member = UUID.randomUUID();
        FixedView before = view(cluster, member, 4);
        FixedView after = view(cluster, member, 6);
        try (Connection c = pool.getConnection()) {
            long old = fence.epochs(c, List.of(PARTITION), before, true).granted().get(PARTITION);
            long current = fence.epochs(c, List.of(PARTITION), after, true).granted().get(PARTITION);
            assertThat(current).as("the new version's claim").isGreaterThan(old);

            // The slower thread's batch goes with the old epoch: still this member's partition.
            assertThat(writeBatch(fence, c, old, "slow")).as("fenced partitions").isEmpty();
            assertThat(valueOf("slow")).isEqualTo("value");

            assertThat(fence.epochs(c, List.of(PARTITION), after, true).granted())
                    .as("the member keeps its claim for the next batch").containsEntry(PARTITION, current);
        }
    }

    @Test
    void aSingleWriteHoldingTheEpochItsOwnMemberReplaced_getsTheCurrentOneToWriteWith() throws SQLException {
        Fence fence = new Fence("raced", table.metrics());
        UUID cluster = UUID.randomUUID();
        UUID member = UUID.randomUUID();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            long old = fence.epochs(c, List.of(PARTITION), view(cluster, member, 4), true).granted().get(PARTITION);
            long current = fence.epochs(c, List.of(PARTITION), view(cluster, member, 6), true).granted().get(PARTITION);

            // A write-through store's fenced statement missed with the old epoch.
            assertThat(fence.lost(PARTITION, old)).as("the epoch to write again with").isEqualTo(current);
            assertThat(fence.held(PARTITION)).isEqualTo(current);
        }
    }

    @Test
    void anEpochAnotherMemberReplaced_isFenced_andTheClaimIsGivenUp() throws SQLException {
        Fence fence = new Fence("raced", table.metrics());
        Fence other = new Fence("raced", table.metrics());
        UUID cluster = UUID.randomUUID();
        FixedView mine = view(cluster, UUID.randomUUID(), 4);
        FixedView newer = view(cluster, UUID.randomUUID(), 6);
        try (Connection c = pool.getConnection()) {
            long old = fence.epochs(c, List.of(PARTITION), mine, true).granted().get(PARTITION);
            other.epochs(c, List.of(PARTITION), newer, true);

            assertThat(writeBatch(fence, c, old, "stale")).as("fenced partitions").containsExactly(PARTITION);
            assertThat(valueOf("stale")).isNull();
            assertThat(fence.held(PARTITION)).isNull();
            assertThat(fence.epochs(c, List.of(PARTITION), mine, true).granted()).as("refused until a newer version").isEmpty();
        }
    }

    @Test
    void aRefusedClaimFromAnOlderViewOfItsOwnMember_leavesItsNewerClaim() throws SQLException {
        Fence fence = new Fence("raced", table.metrics());
        UUID cluster = UUID.randomUUID();
        UUID member = UUID.randomUUID();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            long current = fence.epochs(c, List.of(PARTITION), view(cluster, member, 6), true).granted().get(PARTITION);
            // A thread that read the partition table before the change claims with the old version: refused.
            assertThat(fence.epochs(c, List.of(PARTITION), view(cluster, member, 4), true).granted()).isEmpty();
            assertThat(fence.held(PARTITION)).as("the newer claim stays").isEqualTo(current);
        }
    }

    @Test
    void aBatchFromBeforeAnotherMemberHeldThePartition_isFenced_evenThoughThisMemberHoldsItAgain() throws SQLException {
        Fence fence = new Fence("raced", table.metrics());
        Fence other = new Fence("raced", table.metrics());
        UUID cluster = UUID.randomUUID();
        UUID member = UUID.randomUUID();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            long old = fence.epochs(c, List.of(PARTITION), view(cluster, member, 4), true).granted().get(PARTITION);
            // The partition migrates to another member, which claims it (and may store newer values)...
            other.epochs(c, List.of(PARTITION), view(cluster, UUID.randomUUID(), 5), true);
            // ... and back to this member, which claims it again.
            long current = fence.epochs(c, List.of(PARTITION), view(cluster, member, 6), true).granted().get(PARTITION);

            assertThat(writeBatch(fence, c, old, "before")).as("a batch prepared before the other member's claim")
                    .containsExactly(PARTITION);
            assertThat(valueOf("before")).isNull();
            assertThat(fence.lost(PARTITION, old)).as("no retry under the new claim").isNull();
            assertThat(fence.held(PARTITION)).as("the current claim stays").isEqualTo(current);
        }
    }

    /** One upsert of {@code key} as a fenced batch under {@code epoch}; returns the partitions fenced out. */
    private Set<Integer> writeBatch(Fence fence, Connection c, long epoch, String key) throws SQLException {
        List<Write> writes = List.of(new Write(key, "value", PARTITION, null));
        return new FencedBatch(table, fence).write(c, Map.of(PARTITION, epoch), writes, new Object[][] {{key, "value"}},
                List.of(0), false);
    }

    private String valueOf(String key) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT value FROM raced WHERE id = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
