/** Typed, validated settings for a map store and its datasource. */
package dev.lattice.cacheloader.config;
