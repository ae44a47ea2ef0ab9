package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.config.MapStoreSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The dead letters of one map, for operators: list them, replay one (write it to the map's table
 * now, e.g. after fixing the constraint that refused it) or drop one. Replay and drop are single
 * transactions, so a dead letter is never both replayed and kept, nor dropped twice.
 *
 * <p>Replay writes the value that was rejected. If the key has been written successfully since,
 * replay would put the older value back, so look at {@link DeadLetter#failedAt()} first.
 */
public final class DeadLetters {

    /** Shared by all maps of a database; created by the dead-letter migration. */
    public static final String TABLE = "lattice_dead_letter";

    private static final String COLUMNS = "id, map_name, entry_key, entry_value, error, attempts, failed_at";

    private final String mapName;
    private final MapStoreSettings settings;
    private final DataSource dataSource;
    private final ValueCodec values;
    private final SqlStatements sql;

    public DeadLetters(String mapName, MapStoreSettings settings, DataSource dataSource) {
        this.mapName = mapName;
        this.settings = settings;
        this.dataSource = dataSource;
        this.values = new ValueCodec(settings.valueType());
        this.sql = new SqlStatements(settings, values);
    }

    void record(Object key, Object value, String error, int attempts) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                + " (map_name, entry_key, entry_value, error, attempts) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, mapName);
            ps.setString(2, String.valueOf(key));
            ps.setString(3, values.toText(value));
            ps.setString(4, error);
            ps.setInt(5, attempts);
            ps.executeUpdate();
        }
    }

    /** Up to {@code limit} dead letters of this map, oldest first. */
    public List<DeadLetter> list(int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM " + TABLE + " WHERE map_name = ? ORDER BY id LIMIT ?")) {
            ps.setString(1, mapName);
            ps.setInt(2, limit);
            List<DeadLetter> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(read(rs));
                }
            }
            return result;
        } catch (SQLException e) {
            throw failed("listing dead letters", e);
        }
    }

    /**
     * Writes dead letter {@code id} to the map's table (or deletes the row, for a rejected delete)
     * and removes the dead letter, in one transaction.
     *
     * @return false if there is no such dead letter for this map
     * @throws StoreFailedException if the database refuses it again; the dead letter stays
     */
    public boolean replay(long id) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                DeadLetter letter = lock(c, id);
                if (letter == null) {
                    c.rollback();
                    return false;
                }
                Object key = settings.keyType().fromText(letter.key());
                if (letter.value() == null) {
                    try (PreparedStatement ps = c.prepareStatement(sql.deleteMany)) {
                        ps.setArray(1, c.createArrayOf(sql.keyArrayType, new Object[] {key}));
                        ps.executeUpdate();
                    }
                } else {
                    try (PreparedStatement ps = c.prepareStatement(sql.upsert)) {
                        ps.setObject(1, key);
                        ps.setObject(2, values.fromText(letter.value()));
                        ps.executeUpdate();
                    }
                }
                remove(c, id);
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed("replaying dead letter " + id, e);
        }
    }

    /** Deletes dead letter {@code id} without writing it; false if there is no such dead letter for this map. */
    public boolean drop(long id) {
        try (Connection c = dataSource.getConnection()) {
            return remove(c, id);
        } catch (SQLException e) {
            throw failed("dropping dead letter " + id, e);
        }
    }

    private DeadLetter lock(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
                + " WHERE id = ? AND map_name = ? FOR UPDATE")) {
            ps.setLong(1, id);
            ps.setString(2, mapName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs) : null;
            }
        }
    }

    private boolean remove(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ? AND map_name = ?")) {
            ps.setLong(1, id);
            ps.setString(2, mapName);
            return ps.executeUpdate() == 1;
        }
    }

    private static DeadLetter read(ResultSet rs) throws SQLException {
        return new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getInt(6), rs.getTimestamp(7).toInstant());
    }

    private StoreFailedException failed(String what, SQLException e) {
        return new StoreFailedException("map '" + mapName + "': " + what + " failed: " + FailureClassifier.describe(e), e);
    }
}
