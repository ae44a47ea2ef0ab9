package dev.lattice.server.config;

import java.time.Duration;
import org.springframework.validation.Errors;

/**
 * Records invalid settings in the words an operator typed: the kebab-case property name and
 * the value as written ({@code 1500ms}, not {@code PT1.5S}). Every problem is collected, so one
 * failed start lists them all.
 */
final class InvalidProperties {

    private final Errors errors;

    InvalidProperties(Errors errors) {
        this.errors = errors;
    }

    void reject(String property, Object value, String reason) {
        String message = "Invalid value '" + display(value) + "' for " + property + ": " + reason;
        errors.reject("lattice.invalid", new Object[] {property, value}, message);
    }

    void range(String property, long value, long min, long max) {
        if (value < min || value > max) {
            reject(property, value, "must be between " + min + " and " + max);
        }
    }

    /** Hazelcast takes whole, non-negative seconds that fit an int. */
    void wholeSeconds(String property, Duration value, long min) {
        if (value == null) {
            reject(property, null, "must be set");
        } else if (value.isNegative()) {
            reject(property, value, "must not be negative");
        } else if (value.toNanosPart() != 0 || value.toSeconds() > Integer.MAX_VALUE) {
            reject(property, value, "must be a whole number of seconds up to " + Integer.MAX_VALUE);
        } else if (value.toSeconds() < min) {
            reject(property, value, "must be at least " + min + "s");
        }
    }

    static String display(Object value) {
        if (value instanceof Duration duration) {
            return duration.toNanosPart() % 1_000_000 == 0 && duration.toMillisPart() != 0
                    ? duration.toMillis() + "ms"
                    : duration.toNanosPart() == 0 ? duration.toSeconds() + "s" : duration.toString();
        }
        return String.valueOf(value);
    }
}
