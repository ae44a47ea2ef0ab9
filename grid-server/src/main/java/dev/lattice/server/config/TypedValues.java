package dev.lattice.server.config;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * The text an operator typed for a property, so an error shows {@code 1500ms} rather than the
 * bound {@code PT1.5S}. Falls back to a readable form of the bound value when the property was not
 * typed as one value (a default, an indexed list).
 */
@FunctionalInterface
public interface TypedValues {

    /** Shows bound values only: for callers without an {@link Environment}. */
    TypedValues BOUND = (property, value) -> Problems.display(value);

    String of(String property, @Nullable Object boundValue);

    /** Looks each property up in {@code environment}'s property sources, the way the binder found it. */
    static TypedValues of(Environment environment) {
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        return (property, value) -> {
            ConfigurationPropertyName name = ConfigurationPropertyName.adapt(property, '.');
            for (ConfigurationPropertySource source : sources) {
                ConfigurationProperty found = source.getConfigurationProperty(name);
                if (found != null && found.getValue() != null) {
                    return String.valueOf(found.getValue());
                }
            }
            return Problems.display(value);
        };
    }
}
