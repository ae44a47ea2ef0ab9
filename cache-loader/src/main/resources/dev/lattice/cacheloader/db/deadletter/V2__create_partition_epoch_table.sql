-- Which member may write each partition of each map. A member claims a partition when Hazelcast
-- makes it the owner (a higher partition-table version, or a new cluster) and gets a new epoch;
-- every write checks, in its own statement or transaction, that its epoch is still the current
-- one. A member that was paused or cut off and still believes it owns the partition is refused,
-- so it can never overwrite what the new owner has written. See cache-loader/README.md.
CREATE TABLE IF NOT EXISTS lattice_partition_epoch (
    map_name          text        NOT NULL,
    partition_id      integer     NOT NULL,
    epoch             bigint      NOT NULL,
    cluster_id        uuid        NOT NULL,
    partition_version integer     NOT NULL,
    owner_member      uuid        NOT NULL,
    claimed_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (map_name, partition_id)
);
