package dev.lattice.cacheloader.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claims across a split and its merge, where partition versions of the two sides do not compare:
 * the side merged into may own a partition at a lower version than the claim the other side
 * recorded during the split (issue 6, frozen-master run, seed 52: its acknowledged writes never
 * reached the table). A member that sees a majority takes over a claim of a member it does not see;
 * a claim of a member it sees still needs a newer version.
 */
class AbsentClaimHolderTest {

    private static final int PARTITION = 3;
    private static final int PARTITIONS = 7;

    private TestDatabase db;
    private HikariDataSource pool;
    private MapTable table;
    private final UUID cluster = UUID.randomUUID();

    @BeforeEach
    void createTable() {
        db = PostgresFixture.createDatabase();
        pool = LatticeMapStores.dataSource(DataSourceSettings.builder().url(db.jdbcUrl()).user(db.user())
                .password(db.password()).poolSize(2).build(), db.name());
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).table("merged")
                .valueType(ValueType.TEXT).build();
        TableSchema.prepare(pool, settings);
        table = new MapTable("merged", settings, pool, new MapStoreMetrics(new SimpleMeterRegistry(), "merged"));
    }

    @AfterEach
    void dropDatabase() {
        pool.close();
        db.close();
    }

    @Test
    void aClaimOfAMemberNotSeen_isTakenOverAtALowerVersion_onlyWhenTheCallerMayTakeOverAbsentOnes() throws SQLException {
        UUID otherSide = UUID.randomUUID();
        UUID mergedInto = UUID.randomUUID();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            long theirs = fence().epochs(c, List.of(PARTITION), sees(otherSide, 8), true, false).granted().get(PARTITION);

            assertThat(fence().epochs(c, List.of(PARTITION), sees(mergedInto, 5), true, false).granted())
                    .as("without a majority: refused, the version is lower").isEmpty();
            Map<Integer, Long> taken = fence().epochs(c, List.of(PARTITION), sees(mergedInto, 5), true, true).granted();

            assertThat(taken).as("with a majority, from a member it does not see").containsEntry(PARTITION, theirs + 1);
        }
    }

    @Test
    void aMemberWhoseMembersJustChanged_takesOverFromAnAbsentOneOnlyOnceTheyHaveSettled() throws SQLException {
        UUID otherSide = UUID.randomUUID();
        Ownership woken = sees(UUID.randomUUID(), 5);
        Fence fence = new Fence("merged", table.metrics(), Duration.ofMillis(300));
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            fence().epochs(c, List.of(PARTITION), sees(otherSide, 8), true, false);

            assertThat(fence.epochs(c, List.of(PARTITION), woken, true, true).granted())
                    .as("members just changed (a member waking from a pause removes the others one by one)").isEmpty();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> fence.epochs(c, List.of(PARTITION), woken, true, true).granted().containsKey(PARTITION));
        }
    }

    @Test
    void aClaimMadeAfterTheMembersItSeesSettled_isNotTakenOver() throws SQLException {
        Fence fence = fence();
        Ownership woken = sees(UUID.randomUUID(), 5);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            long held = fence.epochs(c, List.of(PARTITION), woken, true, true).granted().get(PARTITION);
            // While this member was frozen, a member it has not heard of joined and took the partition over.
            fence().epochs(c, List.of(PARTITION), sees(UUID.randomUUID(), 8), true, false);
            c.setAutoCommit(false);
            assertThat(fence.lock(c, Map.of(PARTITION, held))).as("its next batch is fenced").isEmpty();
            c.commit();
            c.setAutoCommit(true);
            assertThat(fence.lost(PARTITION, held)).isNull();

            assertThat(fence.epochs(c, List.of(PARTITION), woken, true, true).granted())
                    .as("the newcomer's claim is newer than what this member knows of the cluster").isEmpty();
        }
    }

    @Test
    void aClaimOfAMemberItSees_stillNeedsANewerVersion_evenWithAMajority() throws SQLException {
        UUID holder = UUID.randomUUID();
        UUID staleOwner = UUID.randomUUID();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            fence().epochs(c, List.of(PARTITION), sees(holder, 8), true, false);

            assertThat(fence().epochs(c, List.of(PARTITION), sees(staleOwner, 5, holder), true, true).granted())
                    .as("a member woken from a pause, its table older than the holder's").isEmpty();
        }
    }

    @Test
    void anOwnerWhoseClaimWasTakenOverAtALowerVersion_claimsThePartitionBack() throws SQLException {
        UUID owner = UUID.randomUUID();
        Fence ownersFence = fence();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            long first = ownersFence.epochs(c, List.of(PARTITION), sees(owner, 8), true, false).granted().get(PARTITION);
            // A member that did not see the owner yet took it over from a lower version.
            fence().epochs(c, List.of(PARTITION), sees(UUID.randomUUID(), 5), true, true);

            c.setAutoCommit(false);
            assertThat(ownersFence.lock(c, Map.of(PARTITION, first))).as("the owner's batch is fenced").isEmpty();
            c.commit();
            c.setAutoCommit(true);
            assertThat(ownersFence.lost(PARTITION, first)).isNull();

            assertThat(ownersFence.epochs(c, List.of(PARTITION), sees(owner, 8), true, false).granted())
                    .as("claimed back at once, its version being newer").containsEntry(PARTITION, first + 2);
        }
    }

    /** A fence that may take over from an absent member as soon as it asks (the members it sees need not settle first). */
    private Fence fence() {
        return new Fence("merged", table.metrics(), Duration.ZERO);
    }

    /** A member owning every partition at {@code version}, seeing itself and {@code others}. */
    private Ownership sees(UUID member, int version, UUID... others) {
        Set<UUID> members = new HashSet<>(List.of(others));
        members.add(member);
        return new FixedView(cluster, member, version, PARTITION, PARTITIONS, Set.copyOf(members));
    }
}
