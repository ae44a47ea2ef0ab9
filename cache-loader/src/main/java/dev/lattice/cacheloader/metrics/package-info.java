/** Micrometer meters of the map stores, tagged by map. */
package dev.lattice.cacheloader.metrics;
