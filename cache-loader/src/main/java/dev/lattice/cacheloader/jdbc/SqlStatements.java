package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.config.KeyType;
import dev.lattice.cacheloader.config.MapStoreSettings;

/**
 * Every statement a map runs, built once from validated identifiers ({@link
 * dev.lattice.cacheloader.config.SqlIdentifier}); keys and values are always bound parameters.
 */
final class SqlStatements {

    /** Upsert of one or many rows; a batch of it is rewritten into one multi-row insert by the driver. */
    final String upsert;
    /**
     * One row, only if the writer's epoch is still current ({@link Fence#CHECK}): parameters map,
     * partition, epoch, key, value; the one result column is 1 when written, 0 when fenced out.
     */
    final String fencedUpsert;
    /** Like {@link #fencedUpsert} for a delete: parameters map, partition, epoch, key. */
    final String fencedDelete;
    /**
     * A whole batch in one statement, so one round trip, committed on its own in autocommit: locks
     * the epoch rows of the batch's partitions ({@link Fence#LOCK}), keeps the partitions whose epoch
     * is one the batch may be written under, and upserts and deletes only their rows; returns the
     * partitions kept. When fewer partitions than the required count are kept, nothing is written
     * (all or nothing; a count of 0 writes whatever passed). Parameters: map, partitions to lock,
     * accepted partitions and epochs (arrays of pairs), required count, upsert keys, values and
     * partitions, delete keys and partitions (arrays).
     */
    final String fencedBatch;
    final String selectOne;
    final String selectMany;
    final String selectAllKeys;
    final String selectAll;
    final String deleteMany;
    final String keyArrayType;

    SqlStatements(MapStoreSettings settings, ValueCodec values) {
        String t = settings.table().quoted();
        String k = settings.keyColumn().quoted();
        String v = settings.valueColumn().quoted();
        // Idempotent: a write replayed after a crash, or by a promoted backup, just writes the same row again.
        String onConflict = " ON CONFLICT (" + k + ") DO UPDATE SET " + v + " = EXCLUDED." + v;
        upsert = "INSERT INTO " + t + " (" + k + ", " + v + ") VALUES (?, " + values.placeholder() + ")" + onConflict;
        fencedUpsert = "WITH f AS (" + Fence.CHECK + "), w AS (INSERT INTO " + t + " (" + k + ", " + v + ") SELECT ?, "
                + values.placeholder() + " FROM f" + onConflict + " RETURNING 1) SELECT count(*) FROM f";
        fencedDelete = "WITH f AS (" + Fence.CHECK + "), d AS (DELETE FROM " + t + " WHERE " + k
                + " = ? AND EXISTS (SELECT 1 FROM f) RETURNING 1) SELECT count(*) FROM f";
        fencedBatch = "WITH f AS (" + Fence.LOCK + "), v AS (SELECT f.partition_id FROM f"
                + " JOIN unnest(?::int4[], ?::int8[]) AS a(p, e) ON a.p = f.partition_id AND a.e = f.epoch),"
                + " go AS (SELECT count(*) >= ? AS ok FROM v),"
                + " u AS (INSERT INTO " + t + " (" + k + ", " + v + ") SELECT r.k, " + values.expression("r.v")
                + " FROM unnest(?::" + arrayType(settings.keyType()) + "[], ?::" + values.arrayType() + "[], ?::int4[]) AS r(k, v, p)"
                + " WHERE r.p IN (SELECT partition_id FROM v) AND (SELECT ok FROM go)" + onConflict + " RETURNING 1),"
                + " d AS (DELETE FROM " + t + " WHERE " + k + " IN (SELECT r.k FROM unnest(?::" + arrayType(settings.keyType())
                + "[], ?::int4[]) AS r(k, p) WHERE r.p IN (SELECT partition_id FROM v)) AND (SELECT ok FROM go) RETURNING 1)"
                + " SELECT partition_id FROM v";
        selectOne = "SELECT " + v + " FROM " + t + " WHERE " + k + " = ?";
        selectMany = "SELECT " + k + ", " + v + " FROM " + t + " WHERE " + k + " = ANY (?)";
        selectAllKeys = "SELECT " + k + " FROM " + t;
        selectAll = "SELECT " + k + ", " + v + " FROM " + t;
        deleteMany = "DELETE FROM " + t + " WHERE " + k + " = ANY (?)";
        keyArrayType = arrayType(settings.keyType());
    }

    private static String arrayType(KeyType keyType) {
        return switch (keyType) {
            case LONG -> "int8";
            case UUID -> "uuid";
            case STRING -> "text";
        };
    }
}
