package dev.lattice.server.member;

import com.hazelcast.config.Config;

/**
 * A hook to change the member {@link Config} after Lattice has built it from {@code lattice.*}
 * properties and before the member starts. Declare one as a bean; customizers run in
 * {@link org.springframework.core.Ordered} order, before Spring Boot's own
 * {@code HazelcastConfigCustomizer} beans, which a grid node applies too.
 */
@FunctionalInterface
public interface MemberConfigCustomizer {

    void customize(Config config);
}
