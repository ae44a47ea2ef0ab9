/**
 * Registers the node's grid meters (member, partitions, maps, health checks) with Spring Boot's
 * meter registry; the meters themselves live in the {@code monitoring} module.
 */
package dev.lattice.server.metrics;
