/**
 * Fixtures shared by the tests of every Lattice module: an in-JVM cluster of real Hazelcast
 * members on free loopback ports ({@link dev.lattice.testsupport.LocalCluster}), a real
 * PostgreSQL database per test ({@link dev.lattice.testsupport.PostgresFixture}) and free-port
 * helpers. Nothing here is a mock: every fixture starts the real thing.
 */
package dev.lattice.testsupport;
