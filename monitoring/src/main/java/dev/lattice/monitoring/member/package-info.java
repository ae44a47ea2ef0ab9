/**
 * Micrometer meters for a Hazelcast member: cluster size and state, partition ownership, safety
 * and migrations ({@link dev.lattice.monitoring.member.MemberMetrics} binds them all, maps
 * included). Names, tags and example queries are in {@code docs/metrics.md}.
 */
package dev.lattice.monitoring.member;
