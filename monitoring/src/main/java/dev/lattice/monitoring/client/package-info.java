/**
 * Micrometer meters for what a Lattice client sees on its own side of the wire: near-cache
 * statistics per map ({@link dev.lattice.monitoring.client.NearCacheMetrics}), the connection to
 * the cluster ({@link dev.lattice.monitoring.client.ClientConnectionMetrics}) and operation
 * latency ({@link dev.lattice.monitoring.client.ClientOperationMetrics}). The Spring Boot starter
 * in {@code grid-client} binds the first two; applications without it bind them as each class shows.
 *
 * <p>Member-side map statistics belong on members: there Micrometer's own
 * {@link io.micrometer.core.instrument.binder.cache.HazelcastCacheMetrics} applies as it is.
 */
package dev.lattice.monitoring.client;
