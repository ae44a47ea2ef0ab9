package dev.lattice.cacheloader.jdbc;

import java.io.Closeable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every key of a table, read through a server-side cursor: PostgreSQL only streams with
 * auto-commit off and a fetch size, otherwise the driver reads the whole result into memory.
 * The connection is released when the keys run out or when {@link #close()} is called.
 */
final class KeyStream implements Iterable<Object>, Closeable {

    interface KeyReader {
        Object read(ResultSet rs, int column) throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(KeyStream.class);

    private final DataSource dataSource;
    private final String query;
    private final int fetchSize;
    private final KeyReader reader;
    private final String mapName;
    private final Runnable onFailure;
    private Connection connection;
    private PreparedStatement statement;
    private ResultSet rows;

    KeyStream(DataSource dataSource, String query, int fetchSize, KeyReader reader, String mapName, Runnable onFailure) {
        this.onFailure = onFailure;
        this.dataSource = dataSource;
        this.query = query;
        this.fetchSize = fetchSize;
        this.reader = reader;
        this.mapName = mapName;
    }

    @Override
    public Iterator<Object> iterator() {
        open();
        return new Iterator<>() {
            private Boolean hasNext;

            @Override
            public boolean hasNext() {
                if (hasNext == null) {
                    try {
                        hasNext = rows != null && rows.next();
                    } catch (SQLException e) {
                        close();
                        onFailure.run();
                        throw new StoreFailedException("map '" + mapName + "': streaming keys failed: "
                                + FailureClassifier.describeSafely(e), e);
                    }
                    if (!hasNext) {
                        close();
                    }
                }
                return hasNext;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                hasNext = null;
                try {
                    return reader.read(rows, 1);
                } catch (SQLException e) {
                    close();
                    onFailure.run();
                    throw new StoreFailedException("map '" + mapName + "': reading a key failed: "
                            + FailureClassifier.describeSafely(e), e);
                }
            }
        };
    }

    private void open() {
        if (connection != null) {
            throw new IllegalStateException("map '" + mapName + "': the key stream can be iterated once");
        }
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            statement = connection.prepareStatement(query, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(fetchSize);
            rows = statement.executeQuery();
        } catch (SQLException e) {
            close();
            onFailure.run();
            throw new StoreFailedException("map '" + mapName + "': listing keys for the eager load failed: "
                    + FailureClassifier.describeSafely(e), e);
        }
    }

    @Override
    public void close() {
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            log.debug("map '{}': ending the key cursor failed", mapName, e);
        }
        closeQuietly(rows);
        closeQuietly(statement);
        closeQuietly(connection);
        rows = null;
        statement = null;
    }

    private void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            log.debug("map '{}': closing {} failed", mapName, resource, e);
        }
    }
}
