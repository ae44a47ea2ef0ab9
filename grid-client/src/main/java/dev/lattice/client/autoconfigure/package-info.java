/**
 * Spring Boot auto-configuration for Lattice's client: a {@link dev.lattice.client.LatticeClient}
 * from {@code lattice.client.*} properties, the client {@code HazelcastInstance}, a JCache
 * {@code CacheManager} that Boot's cache support wraps for {@code @Cacheable}, and near-cache
 * meters when a {@code MeterRegistry} is present.
 */
package dev.lattice.client.autoconfigure;
