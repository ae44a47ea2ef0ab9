/**
 * The API applications use to reach a Lattice grid: {@link dev.lattice.client.LatticeClient}
 * (a Hazelcast client with near caches and a JCache {@code CacheManager}) and
 * {@link dev.lattice.client.NearCacheOptions}.
 *
 * <p>Every builder method checks its argument at once and fails with a message naming the
 * option and the rejected value, so a bad setting never reaches a running client.
 */
package dev.lattice.client;
