package dev.lattice.cacheloader.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

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

    private static final String COLUMNS = "id, map_name, entry_key, key_encoding, entry_value, value_encoding, error, attempts, failed_at";

    private final MapTable table;

    public DeadLetters(MapTable table) {
        this.table = table;
    }

    /**
     * Parks an entry. Text a {@code text} column can not hold (a NUL character) is kept as base64
     * with its encoding noted, so the dead-letter insert itself never rejects an entry.
     */
    void record(Object key, Object value, String error, int attempts) throws SQLException {
        recordText(String.valueOf(key), value == null ? null : table.values().toText(value), error, attempts);
    }

    /** Parks an entry given in the text forms of the table ({@link ValueCodec#toText}); a null value is a delete. */
    void recordText(String key, String value, String error, int attempts) throws SQLException {
        Encoded k = Encoded.of(key);
        Encoded v = value == null ? null : Encoded.of(value);
        MapTable.withReconnect(() -> {
            try (Connection c = table.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                    + " (map_name, entry_key, key_encoding, entry_value, value_encoding, error, attempts)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, table.mapName());
                ps.setString(2, k.text());
                ps.setString(3, k.encoding());
                ps.setString(4, v == null ? null : v.text());
                ps.setString(5, v == null ? Encoded.TEXT : v.encoding());
                ps.setString(6, error.replace('\u0000', ' '));
                ps.setInt(7, attempts);
                return ps.executeUpdate();
            }
        });
    }

    /** Text as stored: as is, or base64 of its UTF-8 bytes when PostgreSQL's text type can not hold it. */
    record Encoded(String text, String encoding) {
        static final String TEXT = "text";
        static final String BASE64 = "base64";

        static Encoded of(String text) {
            if (text.indexOf('\u0000') < 0) {
                return new Encoded(text, TEXT);
            }
            return new Encoded(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)), BASE64);
        }

        static String decode(String text, String encoding) {
            if (text == null || !BASE64.equals(encoding)) {
                return text;
            }
            return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
        }
    }

    /** Up to {@code limit} dead letters of this map, oldest first. */
    public List<DeadLetter> list(int limit) {
        try (Connection c = table.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM " + TABLE + " WHERE map_name = ? ORDER BY id LIMIT ?")) {
            ps.setString(1, table.mapName());
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
        try (Connection c = table.connection()) {
            c.setAutoCommit(false);
            try {
                DeadLetter letter = lock(c, id);
                if (letter == null) {
                    c.rollback();
                    return false;
                }
                table.writeText(c, letter.key(), letter.value());
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
        try (Connection c = table.connection()) {
            return remove(c, id);
        } catch (SQLException e) {
            throw failed("dropping dead letter " + id, e);
        }
    }

    private DeadLetter lock(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
                + " WHERE id = ? AND map_name = ? FOR UPDATE")) {
            ps.setLong(1, id);
            ps.setString(2, table.mapName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs) : null;
            }
        }
    }

    private boolean remove(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ? AND map_name = ?")) {
            ps.setLong(1, id);
            ps.setString(2, table.mapName());
            return ps.executeUpdate() == 1;
        }
    }

    private static DeadLetter read(ResultSet rs) throws SQLException {
        return new DeadLetter(rs.getLong(1), rs.getString(2), Encoded.decode(rs.getString(3), rs.getString(4)),
                Encoded.decode(rs.getString(5), rs.getString(6)), rs.getString(7), rs.getInt(8), rs.getTimestamp(9).toInstant());
    }

    private StoreFailedException failed(String what, SQLException e) {
        return new StoreFailedException("map '" + table.mapName() + "': " + what + " failed: " + FailureClassifier.describe(e), e);
    }
}
