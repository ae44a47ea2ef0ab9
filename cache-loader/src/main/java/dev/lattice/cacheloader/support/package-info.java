/** Small shared helpers of the cache loader. */
package dev.lattice.cacheloader.support;
