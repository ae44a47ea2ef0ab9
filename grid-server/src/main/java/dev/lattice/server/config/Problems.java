package dev.lattice.server.config;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Collects invalid settings in the words an operator typed: the kebab-case property name and the
 * value as written ({@code 1500ms}, not {@code PT1.5S}), so one failed start lists them all.
 */
final class Problems {

    private final TypedValues typed;
    /** A set: a bad default inherited by many maps is reported once. */
    private final Set<String> problems = new LinkedHashSet<>();

    Problems(TypedValues typed) {
        this.typed = typed;
    }

    void reject(String property, @Nullable Object value, String reason) {
        problems.add(InvalidSettingsException.format(property, typed.of(property, value), reason));
    }

    void range(String property, @Nullable Integer value, long min, long max) {
        if (value != null && (value < min || value > max)) {
            reject(property, value, "must be between " + min + " and " + max);
        }
    }

    /** Hazelcast takes whole, non-negative seconds that fit an int. */
    void wholeSeconds(String property, @Nullable Duration value, long min) {
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

    /** Runs a library's own check (cache-loader's builders) and reports its verdict under {@code property}. */
    <T> @Nullable T check(String property, @Nullable Object value, Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            reject(property, value, String.valueOf(e.getMessage()));
            return null;
        }
    }

    int count() {
        return problems.size();
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(List.copyOf(problems));
        }
    }

    /** How a bound value is shown when the text the operator typed is not at hand. */
    static String display(@Nullable Object value) {
        if (value instanceof Duration duration) {
            return duration.toNanosPart() % 1_000_000 == 0 && duration.toMillisPart() != 0
                    ? duration.toMillis() + "ms"
                    : duration.toNanosPart() == 0 ? duration.toSeconds() + "s" : duration.toString();
        }
        if (value instanceof Collection<?> values) {
            return String.join(",", values.stream().map(Problems::display).toList());
        }
        return String.valueOf(value);
    }
}
