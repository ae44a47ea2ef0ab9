/**
 * Application classes on grid nodes: the jars of {@code lattice.extensions.dir} become the
 * member's config class loader, which Hazelcast uses for deserialization, entry processors,
 * listeners, map loaders and JCache factories.
 */
package dev.lattice.server.extensions;
