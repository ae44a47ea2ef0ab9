package dev.lattice.server.security;

import static org.springframework.security.config.Customizer.withDefaults;

import com.hazelcast.core.HazelcastInstance;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Probes and scrapes need no credentials; everything else does. An operator who exposes more
 * actuator endpoints (env, loggers, shutdown...) gets them behind HTTP basic authentication with
 * {@code spring.security.user.*}, never open.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain gridSecurityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
                        .anyRequest().authenticated())
                .httpBasic(withDefaults())
                // No browser sessions here: state-changing calls come from scripts with basic auth.
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @Bean
    ExposureWarning exposureWarning(HazelcastInstance member, Environment environment) {
        return new ExposureWarning(member, environment);
    }
}
