package dev.lattice.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The database peers: what pgjdbc alone does on a table shaped exactly like a Lattice map's table
 * ({@code id text PRIMARY KEY, value text NOT NULL}, as cache-loader's migration creates it).
 */
final class RawJdbc {

    private final BenchDatabase database;

    RawJdbc(BenchDatabase database) {
        this.database = database;
    }

    void createTable(String table) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id text PRIMARY KEY, value text NOT NULL)");
        }
    }

    long count(String table) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Upserts keys {@code prefix0 .. prefix(rows-1)} in batches of {@code batch} rows, one transaction
     * per batch, spread over {@code connections} connections; returns the elapsed nanoseconds.
     * pgjdbc rewrites each batch into multi-row INSERTs ({@code reWriteBatchedInserts}), its fastest form.
     */
    long batchedUpsert(String table, String prefix, int rows, int batch, int connections, String value) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            long start = System.nanoTime();
            List<Future<?>> parts = new ArrayList<>();
            for (int part = 0; part < connections; part++) {
                int from = (int) ((long) rows * part / connections);
                int to = (int) ((long) rows * (part + 1) / connections);
                parts.add(pool.submit(() -> {
                    upsertRange(table, prefix, from, to, batch, value);
                    return null;
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }

    private void upsertRange(String table, String prefix, int from, int to, int batch, String value) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.url() + (database.url().contains("?") ? "&" : "?") + "reWriteBatchedInserts=true");
             PreparedStatement upsert = c.prepareStatement(upsertSql(table))) {
            c.setAutoCommit(false);
            for (int i = from; i < to; i++) {
                upsert.setString(1, prefix + i);
                upsert.setString(2, value);
                upsert.addBatch();
                if ((i - from + 1) % batch == 0 || i == to - 1) {
                    upsert.executeBatch();
                    c.commit();
                }
            }
        }
    }

    /** One connection per calling thread, each upserting single rows in autocommit (a commit each). */
    SingleRowUpserts singleRowUpserts(String table) {
        return new SingleRowUpserts(table);
    }

    final class SingleRowUpserts implements AutoCloseable {
        private final String table;
        private final List<Connection> opened = new ArrayList<>();
        private final ThreadLocal<PreparedStatement> statements = new ThreadLocal<>();

        private SingleRowUpserts(String table) {
            this.table = table;
        }

        void upsert(String key, String value) throws SQLException {
            PreparedStatement upsert = statements.get();
            if (upsert == null) {
                Connection c = database.connect();
                synchronized (opened) {
                    opened.add(c);
                }
                upsert = c.prepareStatement(upsertSql(table));
                statements.set(upsert);
            }
            upsert.setString(1, key);
            upsert.setString(2, value);
            upsert.executeUpdate();
        }

        @Override
        public void close() throws SQLException {
            synchronized (opened) {
                for (Connection c : opened) {
                    c.close();
                }
            }
        }
    }

    /** One batch of {@code keys} upserted in one transaction on {@code connection}. */
    static void upsertBatch(Connection connection, String table, List<String> keys, String value) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(upsertSql(table))) {
            for (String key : keys) {
                upsert.setString(1, key);
                upsert.setString(2, value);
                upsert.addBatch();
            }
            upsert.executeBatch();
            connection.commit();
        }
    }

    /**
     * Loads keys {@code prefix0 .. prefix(rows-1)} into {@code table} with one {@code COPY ... FROM STDIN}
     * on one connection, the fastest way into PostgreSQL (inserts only: it can not update a key that
     * exists); returns the elapsed nanoseconds, encoding the rows included.
     */
    long copy(String table, String prefix, int rows, String value) throws SQLException {
        try (Connection c = database.connect()) {
            long start = System.nanoTime();
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (id, value) FROM STDIN");
            try {
                StringBuilder chunk = new StringBuilder();
                for (int i = 0; i < rows; i++) {
                    // Text format: keys and the value hold no tab, newline or backslash to escape.
                    chunk.append(prefix).append(i).append('\t').append(value).append('\n');
                    if (chunk.length() >= 1 << 16 || i == rows - 1) {
                        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                        copy.writeToCopy(bytes, 0, bytes.length);
                        chunk.setLength(0);
                    }
                }
                long copied = copy.endCopy();
                if (copied != rows) {
                    throw new IllegalStateException("COPY into " + table + " stored " + copied + " rows, expected " + rows);
                }
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            return System.nanoTime() - start;
        }
    }

    /** Reads the whole table in one streaming scan into a map; returns the elapsed nanoseconds. */
    long streamingSelect(String table, int expectedRows) throws SQLException {
        try (Connection c = database.connect()) {
            c.setAutoCommit(false); // pgjdbc streams with a fetch size only inside a transaction
            long start = System.nanoTime();
            Map<String, String> rows = new HashMap<>();
            try (Statement s = c.createStatement()) {
                s.setFetchSize(10_000);
                try (ResultSet result = s.executeQuery("SELECT id, value FROM " + table)) {
                    while (result.next()) {
                        rows.put(result.getString(1), result.getString(2));
                    }
                }
            }
            long elapsed = System.nanoTime() - start;
            c.commit();
            if (rows.size() != expectedRows) {
                throw new IllegalStateException(table + " has " + rows.size() + " rows, expected " + expectedRows);
            }
            return elapsed;
        }
    }

    private static String upsertSql(String table) {
        return "INSERT INTO " + table + " (id, value) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value";
    }
}
