package dev.lattice.client.autoconfigure;

import com.hazelcast.client.config.ClientConfig;

/**
 * Changes the Hazelcast client config after the {@code lattice.client.*} properties are applied
 * and before the client starts. Every customizer bean is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface LatticeClientCustomizer {

    void customize(ClientConfig config);
}
