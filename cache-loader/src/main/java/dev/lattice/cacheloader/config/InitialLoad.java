package dev.lattice.cacheloader.config;

/** What the map loads before the first read. */
public enum InitialLoad {
    /** Nothing up front: each key is loaded from the table on its first read (read-through). */
    LAZY,
    /** The whole table, streamed, when the map is first created on the member. */
    EAGER
}
