/**
 * The Lattice grid node. {@code config} holds the typed {@code lattice.*} properties,
 * {@code member} turns them into a Hazelcast member, {@code health} decides readiness and
 * {@code security} guards the actuator.
 */
package dev.lattice.server;
