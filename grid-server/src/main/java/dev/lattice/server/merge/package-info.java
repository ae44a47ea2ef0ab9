/**
 * What happens to map entries when the two sides of a network partition merge: the bigger side's
 * state wins, deletions included, except in partitions it lost during the split.
 */
package dev.lattice.server.merge;
