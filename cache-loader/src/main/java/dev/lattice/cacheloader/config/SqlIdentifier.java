package dev.lattice.cacheloader.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A table or column name that is safe to place in SQL: lower-case letters, digits and underscores,
 * starting with a letter or underscore, at most {@value #MAX_LENGTH} characters. SQL is only ever
 * built from these, always double-quoted, never from raw configuration text.
 */
public final class SqlIdentifier {

    /** Leaves room for the {@code _schema_history} suffix within PostgreSQL's 63-character limit. */
    public static final int MAX_LENGTH = 48;

    private static final Pattern VALID = Pattern.compile("[a-z_][a-z0-9_]*");

    private final String name;

    private SqlIdentifier(String name) {
        this.name = name;
    }

    /**
     * Validates {@code name}.
     *
     * @param field the setting being validated, named in the error message
     * @throws IllegalArgumentException naming {@code field} and the bad value
     */
    public static SqlIdentifier of(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(field + " must be set");
        }
        if (name.length() > MAX_LENGTH || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException(field + " must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most "
                    + MAX_LENGTH + " characters); was '" + name + "'");
        }
        return new SqlIdentifier(name);
    }

    /** The bare name, for metadata queries where it is a bound parameter. */
    public String name() {
        return name;
    }

    /** The name double-quoted for SQL text. */
    public String quoted() {
        return '"' + name + '"';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SqlIdentifier && ((SqlIdentifier) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
