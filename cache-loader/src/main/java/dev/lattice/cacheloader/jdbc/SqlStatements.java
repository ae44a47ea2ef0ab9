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
