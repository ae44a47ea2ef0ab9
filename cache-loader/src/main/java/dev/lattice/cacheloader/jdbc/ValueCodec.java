package dev.lattice.cacheloader.jdbc;

import com.hazelcast.core.HazelcastJsonValue;
import dev.lattice.cacheloader.config.ValueType;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Converts map values to and from the value column, and to the text kept in the dead-letter table. */
final class ValueCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ValueType type;

    ValueCodec(ValueType type) {
        this.type = type;
    }

    /** The bind marker for the value column: JSON text is cast so the driver can send it as a string. */
    String placeholder() {
        return expression("?");
    }

    /** {@code operand} (a bind marker or a column of encoded values) as the value column takes it. */
    String expression(String operand) {
        return type == ValueType.JSON ? "CAST(" + operand + " AS jsonb)" : operand;
    }

    /** The element type of an array of encoded values, as {@link java.sql.Connection#createArrayOf} names it. */
    String arrayType() {
        return switch (type) {
            case JSON, TEXT -> "text";
            case LONG -> "int8";
            case INTEGER -> "int4";
            case DOUBLE -> "float8";
            case BOOLEAN -> "bool";
            case DECIMAL -> "numeric";
            case UUID -> "uuid";
            case BYTES -> "bytea";
        };
    }

    /**
     * The Java type of encoded values: an array of them must be created with it, because the driver
     * picks its encoding by the array's class (an {@code Object[]} of {@code byte[]} would be sent as text).
     */
    Class<?> encodedType() {
        return switch (type) {
            case JSON, TEXT -> String.class;
            case LONG -> Long.class;
            case INTEGER -> Integer.class;
            case DOUBLE -> Double.class;
            case BOOLEAN -> Boolean.class;
            case DECIMAL -> BigDecimal.class;
            case UUID -> UUID.class;
            case BYTES -> byte[].class;
        };
    }

    /**
     * The value as the driver binds it.
     *
     * @throws EntryRejectedException when the value has the wrong type or can not be serialised
     */
    Object encode(Object value) {
        if (value instanceof UnreadableValue unreadable) {
            throw new EntryRejectedException(unreadable.toString(), null);
        }
        switch (type) {
            case JSON:
                if (value instanceof HazelcastJsonValue) {
                    return value.toString();
                }
                try {
                    return JSON.writeValueAsString(value);
                } catch (JacksonException e) {
                    throw new EntryRejectedException("value of " + value.getClass().getName()
                            + " can not be serialised to JSON: " + e.getOriginalMessage(), e);
                }
            case TEXT:
                return expect(value, CharSequence.class).toString();
            case LONG:
                return expect(value, Long.class);
            case INTEGER:
                return expect(value, Integer.class);
            case DOUBLE:
                return expect(value, Double.class);
            case BOOLEAN:
                return expect(value, Boolean.class);
            case DECIMAL:
                return expect(value, BigDecimal.class);
            case UUID:
                return expect(value, UUID.class);
            case BYTES:
                return expect(value, byte[].class);
            default:
                throw new IllegalStateException("unknown value type " + type);
        }
    }

    /** Only the declared type: a value read back from the table comes back as that type, never another. */
    private <T> T expect(Object value, Class<T> javaType) {
        if (!javaType.isInstance(value)) {
            throw new EntryRejectedException("value type " + type + " expects " + javaType.getName() + " values, got "
                    + value.getClass().getName() + ": the table reads them back as " + javaType.getSimpleName(), null);
        }
        return javaType.cast(value);
    }

    /** Reads the value column; JSON comes back as {@link HazelcastJsonValue} so members need no user classes. */
    Object read(ResultSet rs, int column) throws SQLException {
        switch (type) {
            case JSON:
                String json = rs.getString(column);
                return json == null ? null : new HazelcastJsonValue(json);
            case TEXT:
                return rs.getString(column);
            case LONG:
                return nullable(rs, rs.getLong(column));
            case INTEGER:
                return nullable(rs, rs.getInt(column));
            case DOUBLE:
                return nullable(rs, rs.getDouble(column));
            case BOOLEAN:
                return nullable(rs, rs.getBoolean(column));
            case DECIMAL:
                return rs.getBigDecimal(column);
            case UUID:
                return rs.getObject(column, UUID.class);
            case BYTES:
                return rs.getBytes(column);
            default:
                throw new IllegalStateException("unknown value type " + type);
        }
    }

    private static Object nullable(ResultSet rs, Object value) throws SQLException {
        return rs.wasNull() ? null : value;
    }

    /** The encoded value as text for the dead-letter table; the raw {@code toString} if it could not be encoded. */
    String toText(Object value) {
        if (value == null) {
            return null;
        }
        try {
            Object encoded = encode(value);
            return encoded instanceof byte[] ? Base64.getEncoder().encodeToString((byte[]) encoded) : encoded.toString();
        } catch (EntryRejectedException e) {
            return String.valueOf(value);
        }
    }

    /** Parses text written by {@link #toText} back into a bindable value, for replay. */
    Object fromText(String text) {
        switch (type) {
            case JSON:
            case TEXT:
                return text;
            case LONG:
                return Long.valueOf(text);
            case INTEGER:
                return Integer.valueOf(text);
            case DOUBLE:
                return Double.valueOf(text);
            case BOOLEAN:
                return Boolean.valueOf(text);
            case DECIMAL:
                return new BigDecimal(text);
            case UUID:
                return UUID.fromString(text);
            case BYTES:
                return Base64.getDecoder().decode(text);
            default:
                throw new IllegalStateException("unknown value type " + type);
        }
    }
}
