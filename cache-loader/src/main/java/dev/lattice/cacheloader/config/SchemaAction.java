package dev.lattice.cacheloader.config;

/** What happens to the table at startup. */
public enum SchemaAction {
    /** Create the table (and the dead-letter table) with versioned Flyway migrations, then validate it. */
    MIGRATE,
    /** Only check that the table and its columns exist; fail with a message naming what is missing. */
    VALIDATE
}
