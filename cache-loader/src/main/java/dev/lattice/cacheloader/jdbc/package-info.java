/** The JDBC map store and loader, failure classification and the dead-letter table. */
package dev.lattice.cacheloader.jdbc;
