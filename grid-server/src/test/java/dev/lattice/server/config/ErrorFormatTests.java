package dev.lattice.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.client.autoconfigure.InvalidClientPropertiesException;
import dev.lattice.client.autoconfigure.LatticeClientAutoConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * grid-server ({@code lattice.*}) and grid-client ({@code lattice.client.*}) each keep a small
 * formatter rather than share a module for one line of code; this pins that both write problems
 * alike and list them all, one per line.
 */
class ErrorFormatTests {

    private static final String LINE = "Invalid value '[^']*' for lattice\\.[a-z0-9.\\-]+: .+";

    @Test
    void bothModules_formatOneProblemIdentically() {
        assertThat(InvalidSettingsException.format("lattice.maps.orders.max-idle", "1500ms", "must be whole seconds"))
                .isEqualTo(InvalidClientPropertiesException.format("lattice.maps.orders.max-idle", "1500ms", "must be whole seconds"))
                .isEqualTo("Invalid value '1500ms' for lattice.maps.orders.max-idle: must be whole seconds");
    }

    @Test
    void bothModules_listEveryProblemOnALineOfItsOwn() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
                .withUserConfiguration(GridSettingsConfiguration.class)
                .withPropertyValues("lattice.network.port=0", "lattice.maps.orders.max-idle=1500ms")
                .run(context -> assertLines(((InvalidSettingsException) rootCause(context.getStartupFailure())).problems(),
                        context.getStartupFailure()));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LatticeClientAutoConfiguration.class))
                .withPropertyValues("lattice.client.addresses=nowhere", "lattice.client.near-cache.prices.max-idle=1500ms")
                .run(context -> assertLines(((InvalidClientPropertiesException) rootCause(context.getStartupFailure())).problems(),
                        context.getStartupFailure()));
    }

    private static void assertLines(List<String> problems, Throwable failure) {
        assertThat(problems).hasSize(2).allMatch(line -> line.matches(LINE));
        assertThat(rootCause(failure)).hasMessage(String.join("\n", problems));
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
