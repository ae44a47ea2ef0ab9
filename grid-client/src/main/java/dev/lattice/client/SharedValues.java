package dev.lattice.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.UUID;

/**
 * Which deserialized values every reader may share. A BINARY near cache hands each reader its own
 * copy, so a reader that changes the object it got can not change what the next one reads; for an
 * immutable value that copy protects nothing, and the front hands out one instance instead.
 */
final class SharedValues {

    /** Exact classes, not subclasses: a subclass of BigDecimal, say, may be mutable. */
    private static final Set<Class<?>> IMMUTABLE = Set.of(
            String.class, Boolean.class, Character.class, Byte.class, Short.class, Integer.class, Long.class,
            Float.class, Double.class, BigInteger.class, BigDecimal.class, UUID.class,
            Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class, OffsetDateTime.class,
            OffsetTime.class, ZonedDateTime.class, Duration.class, Period.class, Year.class, YearMonth.class,
            MonthDay.class);

    private SharedValues() {
    }

    /** Whether handing {@code value} to every reader is safe: an immutable JDK type or an enum constant. */
    static boolean shareable(Object value) {
        return IMMUTABLE.contains(value.getClass()) || value instanceof Enum<?>;
    }
}
