/**
 * Micrometer meters for what a Lattice client sees on its own side of the wire: near-cache
 * statistics per map ({@link dev.lattice.monitoring.client.NearCacheMetrics}).
 *
 * <p>Member-side map statistics belong on members: there Micrometer's own
 * {@link io.micrometer.core.instrument.binder.cache.HazelcastCacheMetrics} applies as it is.
 */
package dev.lattice.monitoring.client;
