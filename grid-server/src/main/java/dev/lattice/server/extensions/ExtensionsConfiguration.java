package dev.lattice.server.extensions;

import com.hazelcast.config.Config;
import dev.lattice.server.config.GridSettings;
import dev.lattice.server.member.MemberConfigCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Gives the member the application classes of {@code lattice.extensions.dir}. It works however
 * the node is launched (executable jar, exploded, {@code java -cp} in an image) because it is
 * the member's own config class loader, not the launcher's class path.
 */
@Configuration(proxyBeanMethods = false)
class ExtensionsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ExtensionsConfiguration.class);

    /** Closed after the member has stopped: the member's config depends on it. */
    @Bean(destroyMethod = "close")
    ExtensionClassLoader latticeExtensionClassLoader(GridSettings settings) {
        // The loader that loaded Hazelcast: under Spring Boot's launcher that is the launched
        // class loader, so Hazelcast, javax.cache and the node's classes stay shared.
        ExtensionClassLoader loader = ExtensionClassLoader.over(settings.extensionsDir(),
                Config.class.getClassLoader());
        LOG.info("Application classes come from {}", loader.origin());
        return loader;
    }

    /** First, so that a customizer of the application can still replace the class loader. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    MemberConfigCustomizer latticeExtensionsMemberConfig(ExtensionClassLoader latticeExtensionClassLoader) {
        return config -> config.setClassLoader(latticeExtensionClassLoader);
    }
}
