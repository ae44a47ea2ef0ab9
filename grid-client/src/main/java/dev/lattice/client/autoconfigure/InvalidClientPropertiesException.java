package dev.lattice.client.autoconfigure;

import java.util.List;

/**
 * Thrown once at startup when {@code lattice.client.*} holds invalid values; the message lists
 * every problem, one per line, as {@code Invalid value '<as typed>' for <property>: <reason>}, the
 * format grid-server uses for {@code lattice.*} (a test in grid-server pins that both agree).
 */
public final class InvalidClientPropertiesException extends RuntimeException {

    private final List<String> problems;

    InvalidClientPropertiesException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, one line each, in the order found. */
    public List<String> problems() {
        return problems;
    }

    /** The line for one problem; the one place this module writes the format down. */
    public static String format(String property, String typedValue, String reason) {
        return "Invalid value '" + typedValue + "' for " + property + ": " + reason;
    }
}
