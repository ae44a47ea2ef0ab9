package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps stale owners out of a map's table. Each partition of each map has a row in
 * {@value #TABLE} holding an epoch. A member claims a partition, and gets the next epoch, when its
 * partition table shows a newer version of that partition than the one behind the current claim
 * (or a new cluster); every write then checks, in the same statement or transaction, that its
 * epoch is still the current one.
 *
 * <p>A member that was paused past failure detection (a long GC, SIGSTOP, a frozen VM) wakes up
 * still believing it owns its partitions and still holding their write-behind queues, while the
 * cluster has promoted backups that may already have stored newer values. Its partition versions
 * are older than the new owners', so its claims are refused and its writes find a newer epoch:
 * the table never goes backwards. Claims and writes lock the epoch rows (claims exclusively,
 * writes shared), so a claim and a write on the same partition are strictly ordered.
 */
public final class Fence {

    public static final String TABLE = "lattice_partition_epoch";

    private static final Logger log = LoggerFactory.getLogger(Fence.class);

    /**
     * Insert a first claim, or take over: allowed for a new cluster or a newer partition version
     * (the same version only by the member that already holds it, and then the epoch stays, so
     * two threads of one member claiming at once get the same epoch). Rows in partition order, so
     * concurrent claims and writes lock them in the same order and cannot deadlock.
     */
    private static final String CLAIM = "INSERT INTO " + TABLE + " AS f"
            + " (map_name, partition_id, epoch, cluster_id, partition_version, owner_member, claimed_at)"
            + " SELECT ?, p.id, 1, ?, p.version, ?, now() FROM unnest(?::int[], ?::int[]) AS p(id, version) ORDER BY p.id"
            + " ON CONFLICT (map_name, partition_id) DO UPDATE SET epoch = CASE WHEN f.cluster_id = EXCLUDED.cluster_id"
            + " AND f.partition_version = EXCLUDED.partition_version AND f.owner_member = EXCLUDED.owner_member"
            + " THEN f.epoch ELSE f.epoch + 1 END, cluster_id = EXCLUDED.cluster_id,"
            + " partition_version = EXCLUDED.partition_version, owner_member = EXCLUDED.owner_member, claimed_at = now()"
            + " WHERE f.cluster_id <> EXCLUDED.cluster_id OR f.partition_version < EXCLUDED.partition_version"
            + " OR (f.partition_version = EXCLUDED.partition_version AND f.owner_member = EXCLUDED.owner_member)"
            + " RETURNING partition_id, epoch";

    /** Locks the epoch rows of a batch's partitions, shared, in partition order (the order claims take them in). */
    static final String LOCK = "SELECT partition_id, epoch FROM " + TABLE
            + " WHERE map_name = ? AND partition_id = ANY (?) ORDER BY partition_id FOR SHARE";

    /** The check a single-row statement embeds: one row when the epoch is still current. */
    static final String CHECK = "SELECT 1 FROM " + TABLE + " WHERE map_name = ? AND partition_id = ? AND epoch = ? FOR SHARE";

    /**
     * A claim this member holds. {@code since} is the oldest epoch from which every claim of the
     * partition was this member's own: a claim by anyone else bumps the epoch, so a claim exactly
     * one above this member's previous one continues the run. A write prepared under an epoch in
     * the run may go ahead under the current one; one from before it may not (the partition was
     * someone else's in between, and they may have stored newer values).
     */
    private record Claim(long epoch, UUID clusterId, int version, long since) {

        /** Whether a write prepared under {@code epoch} may be written under this claim. */
        boolean covers(long epoch) {
            return since <= epoch && epoch <= this.epoch;
        }
    }

    private final String mapName;
    private final MapStoreMetrics metrics;
    private final ConcurrentMap<Integer, Claim> claims = new ConcurrentHashMap<>();
    /** Partition to the version at which a claim was refused: not asked again until the version changes. */
    private final ConcurrentMap<Integer, Integer> refused = new ConcurrentHashMap<>();

    public Fence(String mapName, MapStoreMetrics metrics) {
        this.mapName = mapName;
        this.metrics = metrics;
    }

    /**
     * What this member may write now: the epoch per partition it holds a current claim on, and the
     * partitions it owns but may not claim yet because it sees (or hears from) fewer members than
     * the minimum (it keeps their writes). A partition in neither set is owned by another member.
     */
    record Epochs(Map<Integer, Long> granted, Set<Integer> waiting) {
    }

    /**
     * The epochs this member holds for {@code partitions}, claiming the ones it owns but holds no
     * current claim for, if {@code mayClaim}. A claim is refused when another member holds one
     * made from a newer partition table.
     */
    Epochs epochs(Connection c, Collection<Integer> partitions, Ownership view, boolean mayClaim) throws SQLException {
        Map<Integer, Long> granted = new HashMap<>();
        Set<Integer> waiting = new HashSet<>();
        Map<Integer, Integer> toClaim = new TreeMap<>();
        UUID cluster = view.clusterId();
        for (int p : new HashSet<>(partitions)) {
            if (!view.owns(p)) {
                continue;
            }
            int version = view.partitionVersion(p);
            Claim claim = current(p, cluster, version);
            if (claim != null) {
                granted.put(p, claim.epoch());
            } else if (refusedAt(p, version)) {
                continue;
            } else if (mayClaim) {
                toClaim.put(p, version);
            } else {
                waiting.add(p);
            }
        }
        if (!toClaim.isEmpty()) {
            Map<Integer, Long> claimed = claim(c, withEveryUnclaimedOwned(toClaim, view), view);
            toClaim.keySet().stream().filter(claimed::containsKey).forEach(p -> granted.put(p, claimed.get(p)));
        }
        return new Epochs(granted, waiting);
    }

    /**
     * {@code toClaim} plus every other partition this member owns and holds no current claim on:
     * one claim statement (and one commit) for all of them. After a start or a migration a member
     * would otherwise claim partition by partition as writes reach them, an extra transaction in
     * front of hundreds of batches. Claiming a partition this member owns early is what its first
     * write would do anyway.
     */
    private Map<Integer, Integer> withEveryUnclaimedOwned(Map<Integer, Integer> toClaim, Ownership view) {
        Map<Integer, Integer> all = new TreeMap<>(toClaim);
        UUID cluster = view.clusterId();
        for (int p = 0; p < view.partitionCount(); p++) {
            if (all.containsKey(p) || !view.owns(p)) {
                continue;
            }
            int version = view.partitionVersion(p);
            if (current(p, cluster, version) == null && !refusedAt(p, version)) {
                all.put(p, version);
            }
        }
        return all;
    }

    /** This member's claim on the partition if it was made in this cluster at this partition version, else null. */
    private Claim current(int partition, UUID cluster, int version) {
        Claim claim = claims.get(partition);
        return claim != null && claim.clusterId().equals(cluster) && claim.version() == version ? claim : null;
    }

    /** Whether a claim at this partition version was refused (it is not asked again until the version changes). */
    private boolean refusedAt(int partition, int version) {
        return Integer.valueOf(version).equals(refused.get(partition));
    }

    private synchronized Map<Integer, Long> claim(Connection c, Map<Integer, Integer> versions, Ownership view)
            throws SQLException {
        Map<Integer, Long> granted = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, mapName);
            ps.setObject(2, view.clusterId());
            ps.setObject(3, view.memberId());
            ps.setArray(4, c.createArrayOf("int4", versions.keySet().toArray()));
            ps.setArray(5, c.createArrayOf("int4", versions.values().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    granted.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        UUID cluster = view.clusterId();
        versions.forEach((p, version) -> {
            Long epoch = granted.get(p);
            if (epoch != null) {
                Claim previous = claims.get(p);
                boolean continues = previous != null && previous.clusterId().equals(cluster)
                        && (epoch == previous.epoch() || epoch == previous.epoch() + 1);
                claims.put(p, new Claim(epoch, cluster, version, continues ? previous.since() : epoch));
                refused.remove(p);
            } else {
                // A claim of this member's own at a newer version (another thread saw the newer table first) stays.
                claims.computeIfPresent(p, (k, held) -> held.clusterId().equals(cluster) && held.version() > version ? held : null);
                refused.put(p, version);
                metrics.fenced();
                log.warn("map '{}': partition {} is claimed in {} by a member with a newer partition table than this one"
                        + " (version {}): this member keeps its queued writes for it and does not write them", mapName, p,
                        TABLE, version);
            }
        });
        return granted;
    }

    /**
     * The epochs a batch prepared under {@code used} may be written under, per partition: the one it
     * was prepared with, and that of a newer claim this member made meanwhile with no other member's
     * claim in between (another of its threads claimed the partition's new version while the batch
     * was being prepared). A partition whose current epoch is neither was claimed by another member.
     */
    Map<Integer, List<Long>> accepted(Map<Integer, Long> used) {
        Map<Integer, List<Long>> accepted = new HashMap<>();
        used.forEach((p, epoch) -> {
            Claim held = claims.get(p);
            accepted.put(p, held != null && held.epoch() != epoch && held.covers(epoch) ? List.of(epoch, held.epoch()) : List.of(epoch));
        });
        return accepted;
    }

    /**
     * A write with {@code staleEpoch} found a newer one. If this member has meanwhile claimed the
     * partition again itself, with no other member's claim in between, that newer claim's epoch is
     * returned for the write to try with. If the claim the write used is still the one held, the
     * partition was taken over: the claim is gone, and a new one needs a newer partition version.
     * Only the claim the write used is given up: dropping a newer one of this member's own would
     * leave a partition it owns unwritten until its version changes again.
     */
    Long lost(int partition, long staleEpoch) {
        Claim claim = claims.get(partition);
        if (claim == null) {
            return null;
        }
        if (claim.epoch() != staleEpoch) {
            // A newer claim of this member's own: the write goes under it if nobody else claimed in between.
            return claim.covers(staleEpoch) ? claim.epoch() : null;
        }
        if (claims.remove(partition, claim)) {
            refused.put(partition, claim.version());
            metrics.fenced();
            log.warn("map '{}': partition {} was taken over by another member (epoch {} is no longer current);"
                    + " this member does not write it", mapName, partition, claim.epoch());
        }
        return null;
    }

    /** The epoch this member holds for the partition, or null. */
    public Long held(int partition) {
        Claim claim = claims.get(partition);
        return claim == null ? null : claim.epoch();
    }
}
