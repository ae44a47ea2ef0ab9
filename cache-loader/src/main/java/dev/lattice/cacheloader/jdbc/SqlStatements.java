package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.config.KeyType;
import dev.lattice.cacheloader.config.MapStoreSettings;

/**
 * Every statement a map runs, built once from validated identifiers ({@link
 * dev.lattice.cacheloader.config.SqlIdentifier}); keys and values are always bound parameters.
 */
final class SqlStatements {

    final String upsert;
    final String selectOne;
    final String selectMany;
    final String selectAllKeys;
    final String deleteMany;
    final String keyArrayType;

    SqlStatements(MapStoreSettings settings, ValueCodec values) {
        String t = settings.table().quoted();
        String k = settings.keyColumn().quoted();
        String v = settings.valueColumn().quoted();
        // Idempotent: a write replayed after a crash, or by a promoted backup, just writes the same row again.
        upsert = "INSERT INTO " + t + " (" + k + ", " + v + ") VALUES (?, " + values.placeholder() + ")"
                + " ON CONFLICT (" + k + ") DO UPDATE SET " + v + " = EXCLUDED." + v;
        selectOne = "SELECT " + v + " FROM " + t + " WHERE " + k + " = ?";
        selectMany = "SELECT " + k + ", " + v + " FROM " + t + " WHERE " + k + " = ANY (?)";
        selectAllKeys = "SELECT " + k + " FROM " + t;
        deleteMany = "DELETE FROM " + t + " WHERE " + k + " = ANY (?)";
        keyArrayType = arrayType(settings.keyType());
    }

    private static String arrayType(KeyType keyType) {
        switch (keyType) {
            case LONG:
                return "int8";
            case UUID:
                return "uuid";
            default:
                return "text";
        }
    }
}
