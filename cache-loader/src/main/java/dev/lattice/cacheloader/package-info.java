/**
 * Backs Hazelcast maps with PostgreSQL tables: read-through, write-through and write-behind with
 * no lost writes. Start at {@link dev.lattice.cacheloader.LatticeMapStores}.
 */
package dev.lattice.cacheloader;
