package dev.lattice.helm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The duration forms the chart's schema allows for grid-server settings ("500ms", "15s", "2m"). */
final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    static long seconds(String duration) {
        Matcher m = DURATION.matcher(duration);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration the chart allows: " + duration);
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> amount / 1000;
            case "s" -> amount;
            case "m" -> amount * 60;
            case "h" -> amount * 3600;
            case "d" -> amount * 86_400;
            default -> throw new IllegalStateException(m.group(2));
        };
    }
}
