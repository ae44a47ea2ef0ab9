package dev.lattice.cacheloader.config;

/**
 * How a map's values are held in the value column. {@link #JSON} keeps objects as {@code jsonb};
 * the others are typed columns for simple values.
 */
public enum ValueType {
    /** {@code jsonb}; map values are {@link com.hazelcast.core.HazelcastJsonValue} (other objects are converted with Jackson). */
    JSON("jsonb"),
    TEXT("text"),
    LONG("bigint"),
    INTEGER("integer"),
    DOUBLE("double precision"),
    BOOLEAN("boolean"),
    DECIMAL("numeric"),
    UUID("uuid"),
    BYTES("bytea");

    private final String sqlType;

    ValueType(String sqlType) {
        this.sqlType = sqlType;
    }

    /** The PostgreSQL type of the value column, as {@code information_schema} reports it. */
    public String sqlType() {
        return sqlType;
    }
}
