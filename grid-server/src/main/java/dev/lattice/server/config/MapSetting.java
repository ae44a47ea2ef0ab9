package dev.lattice.server.config;

/**
 * One map setting's effective value and where it came from: a property such as
 * {@code lattice.maps.orders.backup-count}, the config file, or Hazelcast's default.
 */
public record MapSetting(Object value, String source) {

    /** Source of a value nobody set: Hazelcast's own default. */
    public static final String HAZELCAST_DEFAULT = "Hazelcast default";

    /** Whether an operator typed this value as a {@code lattice.maps.*} property. */
    public boolean typed() {
        return source.startsWith("lattice.maps.");
    }
}
