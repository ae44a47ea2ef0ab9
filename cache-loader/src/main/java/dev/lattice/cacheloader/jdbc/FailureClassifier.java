package dev.lattice.cacheloader.jdbc;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Decides whether a failed write is the entry's fault or the database's. The distinction is the
 * whole safety argument: an entry the database rejects may, after enough attempts, be parked in
 * the dead-letter table so it stops blocking its queue; anything else must stay queued, because
 * parking it would turn an outage into data loss.
 */
public final class FailureClassifier {

    /** What a failure means for the entries that were being written. */
    public enum Kind {
        /**
         * The database refused this entry's data (SQLState class 22 data exception, 23 integrity
         * constraint violation, 54 program limit exceeded, or a value that can not be serialised):
         * retrying the same data will fail the same way.
         */
        ENTRY_REJECTED,
        /**
         * The database could not do the work: unreachable (class 08), shutting down or restarting
         * (57P01-57P03), out of resources (53), a conflict (40), a schema mistake (42), or no
         * SQLState at all (pool timeouts). Entries stay queued and are retried.
         */
        DATABASE_FAILED
    }

    private static final Set<String> REJECTING_CLASSES = Set.of("22", "23", "54");

    private FailureClassifier() {
    }

    /** Classifies {@code failure}, looking through causes and chained SQL exceptions. */
    public static Kind classify(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = next(t)) {
            if (t instanceof EntryRejectedException) {
                return Kind.ENTRY_REJECTED;
            }
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null && state.length() == 5) {
                    // The first SQLState decides: an unknown state falls through to the safe default.
                    return REJECTING_CLASSES.contains(state.substring(0, 2)) ? Kind.ENTRY_REJECTED : Kind.DATABASE_FAILED;
                }
            }
        }
        return Kind.DATABASE_FAILED;
    }

    /** The SQLState found while classifying, for messages; null when there is none. */
    public static String sqlState(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = next(t)) {
            if (t instanceof SQLException && ((SQLException) t).getSQLState() != null) {
                return ((SQLException) t).getSQLState();
            }
        }
        return null;
    }

    /**
     * True when the failure says the connection itself broke (SQLState class 08, or the server
     * terminating it: 57P01-57P03). The pool drops such a connection, so one immediate retry on a
     * fresh connection is cheap and usually succeeds after a failover or restart.
     */
    public static boolean isBrokenConnection(Throwable failure) {
        String state = sqlState(failure);
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    private static Throwable next(Throwable t) {
        // A JDBC batch reports the statement's real error as the "next exception", not the cause.
        if (t instanceof SQLException && ((SQLException) t).getNextException() != null) {
            return ((SQLException) t).getNextException();
        }
        return t.getCause();
    }

    /**
     * One line for logs and exception messages that may reach logs: the SQLState and the names
     * PostgreSQL reports (constraint, table, column, type), never its message, which can echo a
     * value ("invalid input syntax for type uuid: ..."). Cached values can be personal data.
     */
    public static String describeSafely(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = next(t)) {
            if (t instanceof EntryRejectedException) {
                // Lattice's own messages name types, never values.
                return t.getMessage();
            }
            if (t instanceof PSQLException && ((PSQLException) t).getServerErrorMessage() != null) {
                ServerErrorMessage server = ((PSQLException) t).getServerErrorMessage();
                StringBuilder text = new StringBuilder("SQLState ").append(server.getSQLState());
                append(text, "constraint", server.getConstraint());
                append(text, "table", server.getTable());
                append(text, "column", server.getColumn());
                append(text, "type", server.getDatatype());
                return text.toString();
            }
        }
        String state = sqlState(failure);
        return (state == null ? "" : "SQLState " + state + " ") + failure.getClass().getSimpleName();
    }

    private static void append(StringBuilder text, String name, String value) {
        if (value != null) {
            text.append(", ").append(name).append(' ').append(value);
        }
    }

    /**
     * One line: SQLState and message of the most specific SQL error, for the dead-letter table
     * (which holds the value anyway) and for operators reading it. Not for logs: see {@link #describeSafely}.
     */
    static String describe(Throwable failure) {
        Throwable best = failure;
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = next(t)) {
            best = t;
            if (t instanceof EntryRejectedException
                    || (t instanceof SQLException && ((SQLException) t).getNextException() == null
                    && ((SQLException) t).getSQLState() != null)) {
                break;
            }
        }
        String state = sqlState(failure);
        return (state == null ? "" : "[" + state + "] ") + best.getMessage();
    }
}
