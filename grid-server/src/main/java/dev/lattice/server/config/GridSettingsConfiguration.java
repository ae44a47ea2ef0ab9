package dev.lattice.server.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Binds {@code lattice.*} and maps it, once, to the {@link GridSettings} bean every other part of
 * the node uses. An invalid value stops startup here, before the database or the member start.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LatticeProperties.class)
public class GridSettingsConfiguration {

    @Bean
    GridSettings gridSettings(LatticeProperties properties, Environment environment) {
        return GridSettingsMapper.map(properties, TypedValues.of(environment));
    }
}
