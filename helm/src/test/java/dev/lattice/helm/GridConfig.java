package dev.lattice.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** A grid-server application.yml, with values looked up by their dotted property name. */
record GridConfig(Map<String, Object> tree) {

    @SuppressWarnings("unchecked")
    static GridConfig parse(String yaml) {
        try {
            return new GridConfig(RenderedChart.YAML.readValue(yaml, Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException("the ConfigMap's application.yml is not YAML", e);
        }
    }

    /** The value at {@code lattice.discovery.mode}, or null. */
    @SuppressWarnings("unchecked")
    Object get(String property) {
        Object node = tree;
        for (String key : property.split("\\.")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return null;
            }
            node = ((Map<String, Object>) map).get(key);
        }
        return node;
    }

    String string(String property) {
        Object value = get(property);
        return value == null ? null : String.valueOf(value);
    }
}
