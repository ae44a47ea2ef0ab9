package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.config.KeyType;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.metrics.MapStoreMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * Everything the loader, the store, the dead letters and the shutdown spool share about one map's
 * table: its settings, the pool, the statements, how keys and values are bound and read, and the
 * reconnect-once rule. One instance per map per member.
 */
public final class MapTable {

    /** A database call that may be repeated: it only reads, or it is idempotent. */
    public interface Call<T> {
        T run() throws SQLException;
    }

    private final String mapName;
    private final MapStoreSettings settings;
    private final DataSource dataSource;
    private final MapStoreMetrics metrics;
    private final ValueCodec values;
    private final SqlStatements sql;

    public MapTable(String mapName, MapStoreSettings settings, DataSource dataSource, MapStoreMetrics metrics) {
        this.mapName = mapName;
        this.settings = settings;
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.values = new ValueCodec(settings.valueType());
        this.sql = new SqlStatements(settings, values);
    }

    public String mapName() {
        return mapName;
    }

    public MapStoreSettings settings() {
        return settings;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public MapStoreMetrics metrics() {
        return metrics;
    }

    ValueCodec values() {
        return values;
    }

    SqlStatements sql() {
        return sql;
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * Runs {@code call}, once more on a fresh connection if the pooled one turned out to be broken
     * (the server restarted, failed over, or terminated it): the pool drops such a connection, so
     * the second try usually succeeds at once instead of waiting for a retry round.
     */
    public static <T> T withReconnect(Call<T> call) throws SQLException {
        try {
            return call.run();
        } catch (SQLTransientConnectionException e) {
            // The pool found no connection in time: the database is away, not one connection broken.
            throw e;
        } catch (SQLException e) {
            if (!FailureClassifier.isBrokenConnection(e)) {
                throw e;
            }
            return call.run();
        }
    }

    /** The key as the driver binds it, exactly as declared ({@link KeyType#toJdbc}). */
    Object jdbcKey(Object key) {
        return settings.keyType().toJdbc(key);
    }

    /** The key's text form, as the dead-letter table and the shutdown spool keep it. */
    public String keyText(Object key) {
        return settings.keyType().toText(key);
    }

    /** The value's text form ({@link ValueCodec#toText}): JSON text, base64 for bytes, the number as text. */
    public String valueText(Object value) {
        return values.toText(value);
    }

    /**
     * Writes one row given in its text forms ({@link #keyText}, {@link #valueText}), unfenced, in the
     * caller's transaction: an upsert, or a delete for a null value. For operators' replays, which
     * decide themselves whether the write may still go to the table.
     */
    void writeText(Connection c, String keyText, String valueText) throws SQLException {
        Object key = settings.keyType().fromText(keyText);
        if (valueText == null) {
            try (PreparedStatement ps = c.prepareStatement(sql.deleteMany)) {
                ps.setArray(1, c.createArrayOf(sql.keyArrayType, new Object[] {key}));
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement(sql.upsert)) {
                ps.setObject(1, key);
                ps.setObject(2, values.fromText(valueText));
                ps.executeUpdate();
            }
        }
    }

    /** Reads a key column as the map's declared key type. */
    Object readKey(ResultSet rs, int column) throws SQLException {
        return settings.keyType().read(rs, column);
    }

    /** A key for messages and logs: its text, cut short, never a value. */
    public static String describeKey(Object key) {
        String text = String.valueOf(key);
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
