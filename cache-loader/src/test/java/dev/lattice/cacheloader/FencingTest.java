package dev.lattice.cacheloader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.jdbc.Fence;
import dev.lattice.cacheloader.jdbc.FixedView;
import dev.lattice.cacheloader.jdbc.MapTable;
import dev.lattice.cacheloader.jdbc.TableWriter;
import dev.lattice.cacheloader.jdbc.TableWriter.Outcome;
import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import dev.lattice.cacheloader.schema.TableSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The fence in PostgreSQL, between two members that both believe they own a partition: the one
 * whose partition table is older (a member paused past failure detection) must never write once
 * the newer owner has claimed the partition, in a batch or alone, and the row keeps the newer
 * value. The members' beliefs are fixed views here, so the conflict is exact; the multi-process
 * fault suite covers it with real frozen members.
 */
class FencingTest extends DatabaseBackedTest {

    private static final int PARTITIONS = 271;
    private static final int PARTITION = 7;

    @Test
    void staleOwner_writesNothingOnceANewerOwnerClaimedThePartition_andTheRowKeepsTheNewerValue() {
        MapStoreSettings settings = MapStoreSettings.builder().mode(StoreMode.WRITE_BEHIND).table("fenced")
                .valueType(ValueType.TEXT).build();
        TableSchema.prepare(pool, settings);
        MapTable table = new MapTable("fenced", settings, pool, new MapStoreMetrics(new SimpleMeterRegistry(), "fenced"));
        UUID cluster = UUID.randomUUID();
        FixedView stale = new FixedView(cluster, UUID.randomUUID(), 3, PARTITION, PARTITIONS);
        FixedView newer = new FixedView(cluster, UUID.randomUUID(), 4, PARTITION, PARTITIONS);
        TableWriter staleWriter = new TableWriter(table, new Fence("fenced", table.metrics()), 1);
        TableWriter newerWriter = new TableWriter(table, new Fence("fenced", table.metrics()), 1);

        assertThat(staleWriter.write(List.of(write("v1")), stale).outcome(0)).isEqualTo(Outcome.STORED);
        assertThat(newerWriter.write(List.of(write("v2")), newer).outcome(0)).isEqualTo(Outcome.STORED);

        assertThat(staleWriter.write(List.of(write("v1-late")), stale).outcome(0)).as("a batch").isEqualTo(Outcome.FENCED);
        assertThat(staleWriter.writeEach(List.of(write("v1-late")), stale).outcome(0)).as("a single write")
                .isEqualTo(Outcome.FENCED);
        assertThat(Fixtures.rows(pool, "fenced")).containsExactly(Map.entry("k", "v2"));
        // Every partition was claimed by the newer owner's first write, so the stale one is out of all of them.
        assertThat(Fixtures.count(pool, "SELECT count(*) FROM lattice_partition_epoch WHERE map_name = 'fenced' AND owner_member = ?",
                newer.memberId())).isEqualTo(PARTITIONS);
    }

    private static Write write(String value) {
        return new Write("k", value, PARTITION, null);
    }
}
