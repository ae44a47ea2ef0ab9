/** Creating and validating tables with Flyway at startup. */
package dev.lattice.cacheloader.schema;
