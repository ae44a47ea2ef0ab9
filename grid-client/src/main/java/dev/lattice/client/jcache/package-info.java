/**
 * JCache (JSR-107) for applications of a Lattice grid: Hazelcast's client provider with the
 * standard statistics and configuration MBeans registered in the application's JVM. Statistics
 * are cluster-wide: members count, this JVM sums on demand ({@link dev.lattice.client.jcache.ClusterCacheStatistics}).
 */
package dev.lattice.client.jcache;
