/** The zero-setup embedded PostgreSQL with a persistent data directory. */
package dev.lattice.server.embedded;
