/**
 * JCache (JSR-107) for applications of a Lattice grid: Hazelcast's client provider with the
 * standard statistics and configuration MBeans registered in the application's JVM. Statistics
 * are cluster-wide: members count, and this JVM sums their counters whenever an attribute is read.
 */
package dev.lattice.client.jcache;
