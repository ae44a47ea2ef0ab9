/**
 * Micrometer meters for the maps a member holds: Micrometer's
 * {@link io.micrometer.core.instrument.binder.cache.HazelcastCacheMetrics} plus what it lacks
 * ({@link dev.lattice.monitoring.map.MapMetrics}), bound for every map as maps come and go
 * ({@link dev.lattice.monitoring.map.MemberMapsMetrics}).
 */
package dev.lattice.monitoring.map;
