package dev.lattice.cacheloader.schema;

import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.SchemaAction;
import dev.lattice.cacheloader.config.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Prepares the tables a map needs at startup: creates them with versioned Flyway migrations, or
 * only validates them, then checks that every column the store uses is there with a usable type.
 * Each map table has its own history table ({@code <table>_schema_history}) because the same
 * migration is applied once per table; the shared dead-letter table uses {@code lattice_schema_history}.
 */
public final class TableSchema {

    private static final String DEAD_LETTER_HISTORY = "lattice_schema_history";
    private static final int MIGRATION_ATTEMPTS = 5;

    private TableSchema() {
    }

    /**
     * Applies {@link MapStoreSettings#schemaAction()} for one map.
     *
     * @throws IllegalStateException naming the table and what is missing or wrong
     */
    public static void prepare(DataSource dataSource, MapStoreSettings settings) {
        if (settings.schemaAction() == SchemaAction.MIGRATE) {
            migrate(dataSource, settings);
        }
        validate(dataSource, settings);
    }

    /** Creates (or upgrades) the map's table and the dead-letter table. */
    public static void migrate(DataSource dataSource, MapStoreSettings settings) {
        Map<String, String> placeholders = new HashMap<>();
        // Only validated identifiers and the fixed type names of the key/value enums reach the SQL.
        placeholders.put("table", settings.table().name());
        placeholders.put("keyColumn", settings.keyColumn().name());
        placeholders.put("keyType", settings.keyType().sqlType());
        placeholders.put("valueColumn", settings.valueColumn().name());
        placeholders.put("valueType", settings.valueType().sqlType());
        run(Flyway.configure().dataSource(dataSource).locations("classpath:dev/lattice/cacheloader/db/map")
                .table(settings.table().name() + "_schema_history").placeholders(placeholders)
                .baselineOnMigrate(true).baselineVersion("0").load(), "table " + settings.table());
        migrateDeadLetters(dataSource);
    }

    /** Creates (or upgrades) {@code lattice_dead_letter}. */
    public static void migrateDeadLetters(DataSource dataSource) {
        run(Flyway.configure().dataSource(dataSource).locations("classpath:dev/lattice/cacheloader/db/deadletter")
                .table(DEAD_LETTER_HISTORY).baselineOnMigrate(true).baselineVersion("0").load(), "table lattice_dead_letter");
    }

    /**
     * Migrates, retrying a few times: nodes started at the same moment on a fresh database race in
     * Flyway's baseline step (one fails with "Unable to baseline schema history table ... as it
     * already exists, and is empty"); by the next attempt the other node has finished, and Flyway's
     * own lock serialises the migrations themselves. A real error fails every attempt.
     */
    private static void run(Flyway flyway, String what) {
        FlywayException last = null;
        for (int attempt = 0; attempt < MIGRATION_ATTEMPTS; attempt++) {
            try {
                flyway.migrate();
                return;
            } catch (FlywayException e) {
                last = e;
                pause(attempt);
            }
        }
        throw new IllegalStateException("migrating " + what + " failed: " + last.getMessage(), last);
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep((200L << attempt) + ThreadLocalRandom.current().nextLong(200));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while migrating", e);
        }
    }

    /**
     * Checks the map's table, key and value columns (types and a unique key, which the upsert
     * needs) and the dead-letter table.
     *
     * @throws IllegalStateException naming the table and what is missing or wrong
     */
    public static void validate(DataSource dataSource, MapStoreSettings settings) {
        try (Connection c = dataSource.getConnection()) {
            Map<String, String> columns = columns(c, settings.table().name());
            if (columns.isEmpty()) {
                throw new IllegalStateException("table " + settings.table() + " does not exist (schema action "
                        + settings.schemaAction() + "; use MIGRATE to create it)");
            }
            expect(columns, settings.table(), settings.keyColumn(), settings.keyType().sqlType());
            expect(columns, settings.table(), settings.valueColumn(), settings.valueType().sqlType());
            if (!uniqueOn(c, settings.table().name(), settings.keyColumn().name())) {
                throw new IllegalStateException("table " + settings.table() + " needs a primary key or unique index on "
                        + "exactly column " + settings.keyColumn() + " (the upsert's ON CONFLICT target)");
            }
            if (columns(c, "lattice_dead_letter").isEmpty()) {
                throw new IllegalStateException("table lattice_dead_letter does not exist (use schema action MIGRATE to create it)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("validating table " + settings.table() + " failed: " + e.getMessage(), e);
        }
    }

    private static void expect(Map<String, String> columns, SqlIdentifier table, SqlIdentifier column, String sqlType) {
        String actual = columns.get(column.name());
        if (actual == null) {
            throw new IllegalStateException("table " + table + " is missing column " + column + " (expected " + sqlType + ")");
        }
        if (!actual.equals(sqlType)) {
            throw new IllegalStateException("column " + column + " of table " + table + " has type " + actual
                    + ", expected " + sqlType);
        }
    }

    /** Column name to type, from the first schema on the search path that has the table. */
    private static Map<String, String> columns(Connection c, String table) throws SQLException {
        Map<String, String> columns = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, NULL) FROM pg_attribute a"
                + " WHERE a.attrelid = to_regclass(quote_ident(?)) AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    private static boolean uniqueOn(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_index i JOIN pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                + " WHERE i.indrelid = to_regclass(quote_ident(?)) AND i.indisunique AND i.indnkeyatts = 1"
                + " AND i.indpred IS NULL AND a.attname = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
