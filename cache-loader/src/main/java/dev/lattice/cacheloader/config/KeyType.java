package dev.lattice.cacheloader.config;

/** The Java type of a map's keys and the PostgreSQL column type that holds them. */
public enum KeyType {
    STRING("text", String.class),
    LONG("bigint", Long.class),
    UUID("uuid", java.util.UUID.class);

    private final String sqlType;
    private final Class<?> javaType;

    KeyType(String sqlType, Class<?> javaType) {
        this.sqlType = sqlType;
        this.javaType = javaType;
    }

    /** The PostgreSQL type of the key column, as {@code information_schema} reports it. */
    public String sqlType() {
        return sqlType;
    }

    public Class<?> javaType() {
        return javaType;
    }

    /** Parses the text form written to the dead-letter table back into a key. */
    public Object fromText(String text) {
        switch (this) {
            case LONG:
                return Long.valueOf(text);
            case UUID:
                return java.util.UUID.fromString(text);
            default:
                return text;
        }
    }

    /** Reads a key column as this type's Java type. */
    public Object read(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        return switch (this) {
            case STRING -> rs.getString(column);
            case LONG -> rs.getLong(column);
            case UUID -> rs.getObject(column, java.util.UUID.class);
        };
    }

    /** The key's text form, as the dead-letter table and the shutdown spool keep it. */
    public String toText(Object key) {
        return String.valueOf(toJdbc(key));
    }

    /**
     * The key as the JDBC driver should bind it. Only the declared Java type is accepted: an
     * {@code Integer} in a {@code LONG} map would be stored as a row, but read back as a {@code Long},
     * which Hazelcast puts in another partition, so the map would hold the key twice.
     *
     * @throws IllegalArgumentException naming the expected and the actual type when the key does not fit
     */
    public Object toJdbc(Object key) {
        if (javaType.isInstance(key)) {
            return key;
        }
        throw new IllegalArgumentException("key type " + name() + " expects " + javaType.getName() + " keys, got "
                + (key == null ? "null" : key.getClass().getName()) + ": use " + javaType.getSimpleName()
                + " keys, the type the table's rows are read back as");
    }
}
