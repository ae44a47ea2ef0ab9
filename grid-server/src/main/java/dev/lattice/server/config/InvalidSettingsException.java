package dev.lattice.server.config;

import java.util.List;

/**
 * Thrown once at startup when {@code lattice.*} holds invalid values; the message lists every
 * problem, one per line, as {@code Invalid value '<as typed>' for <property>: <reason>}.
 * grid-client reports {@code lattice.client.*} in the same format (a test pins it).
 */
public final class InvalidSettingsException extends RuntimeException {

    private final List<String> problems;

    InvalidSettingsException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, one line each, in the order found. */
    public List<String> problems() {
        return problems;
    }

    /** The line for one problem; the one place the format is written down. */
    public static String format(String property, String typedValue, String reason) {
        return "Invalid value '" + typedValue + "' for " + property + ": " + reason;
    }
}
