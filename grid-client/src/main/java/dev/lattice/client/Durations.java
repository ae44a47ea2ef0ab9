package dev.lattice.client;

import java.time.Duration;
import java.util.Objects;

/** Checks on durations handed to Hazelcast settings that count in whole seconds or milliseconds. */
final class Durations {

    private Durations() {
    }

    static Duration notNegative(String option, Duration value) {
        Objects.requireNonNull(value, option);
        if (value.isNegative()) {
            throw new IllegalArgumentException(option + " must not be negative, was " + value);
        }
        return value;
    }

    static Duration positive(String option, Duration value) {
        notNegative(option, value);
        if (value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
        return value;
    }

    /** Hazelcast's near cache takes int seconds: a fraction would be silently dropped, so refuse it. */
    static Duration wholeSeconds(String option, Duration value) {
        notNegative(option, value);
        if (value.getNano() != 0) {
            throw new IllegalArgumentException(option + " must be a whole number of seconds, was " + value);
        }
        if (value.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be at most " + Integer.MAX_VALUE + " seconds, was "
                    + value);
        }
        return value;
    }

    /** Hazelcast's retry settings take int milliseconds. */
    static int millis(String option, Duration value) {
        notNegative(option, value);
        if (value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be at most " + Integer.MAX_VALUE + " ms, was " + value);
        }
        return (int) value.toMillis();
    }
}
