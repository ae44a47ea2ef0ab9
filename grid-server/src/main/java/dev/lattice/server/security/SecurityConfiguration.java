package dev.lattice.server.security;

import static org.springframework.security.config.Customizer.withDefaults;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.server.config.GridSettings;
import dev.lattice.server.extensions.ExtensionClassLoader;
import dev.lattice.server.member.MemberConfigCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Who may do what over HTTP, and what the member may deserialize.
 *
 * <p>Probes and scrapes ({@code health}, {@code info}, {@code prometheus}) need no credentials;
 * every other endpoint needs the operator's credential ({@code lattice.admin.*}, HTTP basic),
 * and refuses everyone when none is set. There is no generated password, so none is printed in a
 * log. A request that changes state must say it sends JSON, which a cross-site form cannot (see
 * {@link JsonOnlyChanges}); browsers' cached basic credentials are therefore no way in.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityFilterChain gridSecurityFilterChain(HttpSecurity http, GridSettings settings) throws Exception {
        boolean admin = settings.admin() != null;
        http.authorizeHttpRequests(requests -> {
                    requests.requestMatchers(EndpointRequest.to("health", "info", "prometheus")).permitAll();
                    if (admin) {
                        requests.anyRequest().authenticated();
                    } else {
                        requests.anyRequest().denyAll();
                    }
                })
                .httpBasic(withDefaults())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new JsonOnlyChanges(), AuthorizationFilter.class)
                // No sessions or cookies: without JSON-only changes this would be the CSRF protection.
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** The operator, with only a hash of the password in memory; nobody when no password is set. */
    @Bean
    UserDetailsService latticeAdmin(GridSettings settings) {
        GridSettings.Admin admin = settings.admin();
        if (admin == null) {
            log.info("No operator password (LATTICE_ADMIN_PASSWORD or lattice.admin.password-file): actuator endpoints"
                    + " other than health, info and prometheus refuse every request");
            return new InMemoryUserDetailsManager();
        }
        return new InMemoryUserDetailsManager(User.withUsername(admin.user()).password(admin.passwordHash()).roles("ADMIN")
                .build());
    }

    @Bean
    MemberConfigCustomizer latticeSerializationFilter(GridSettings settings, ExtensionClassLoader latticeExtensionClassLoader) {
        return config -> config.getSerializationConfig().setJavaSerializationFilterConfig(
                SerializationFilter.of(settings.allowedPackages(), latticeExtensionClassLoader.packages()));
    }

    @Bean
    ExposureWarning exposureWarning(HazelcastInstance member, Environment environment) {
        return new ExposureWarning(member, environment);
    }
}
