package dev.lattice.client.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * "lattice.client.jcache.*": JCache caches the starter creates at startup, with the
 * configuration JSR-107 gives a cache at creation. A cache the cluster already has is used as
 * it is. Unset values keep JSR-107's defaults ({@code MutableConfiguration}'s). Values are checked at
 * startup; every bad one is listed with its property and the value as typed.
 */
@ConfigurationProperties("lattice.client.jcache")
public class LatticeJCacheProperties {

    /**
     * Caches by name (lattice.client.jcache.caches.quotes.loader=com.acme.QuoteLoader).
     * Default: none.
     */
    private final Map<String, Cache> caches = new LinkedHashMap<>();

    public Map<String, Cache> getCaches() {
        return caches;
    }

    /** How an entry's lifetime is measured, as JSR-107's standard expiry policies do. */
    public enum ExpiryPolicy {
        /** Entries never expire. */
        ETERNAL,
        /** Lifetime counted from creation. */
        CREATED,
        /** Lifetime counted from the last creation or update. */
        MODIFIED,
        /** Lifetime counted from the last read. */
        ACCESSED,
        /** Lifetime counted from the last creation, update or read. */
        TOUCHED
    }

    /** "lattice.client.jcache.caches.NAME.*": one cache. */
    public static class Cache {

        /**
         * Class of the cache's {@code javax.cache.integration.CacheLoader}, with a public no-argument
         * constructor. Loading runs on the grid members, which make their own instance: the class
         * must also be in every node's lattice.extensions.dir. Default: none.
         */
        private String loader;

        /** Whether a miss is loaded through the loader. Default: true when loader is set, else false. */
        private Boolean readThrough;

        /** How expiry-duration is counted. Default: ETERNAL. */
        private @Nullable ExpiryPolicy expiryPolicy;

        /** An entry's lifetime under expiry-policy; required unless the policy is ETERNAL. Default: none. */
        private Duration expiryDuration;

        /** JSR-107 statistics, shown by the CacheStatistics MBean in this JVM. Default: false. */
        private @Nullable Boolean statisticsEnabled;

        /** The CacheConfiguration MBean in this JVM. Default: false. */
        private @Nullable Boolean managementEnabled;

        public String getLoader() {
            return loader;
        }

        public void setLoader(String loader) {
            this.loader = loader;
        }

        public Boolean getReadThrough() {
            return readThrough;
        }

        public void setReadThrough(Boolean readThrough) {
            this.readThrough = readThrough;
        }

        public @Nullable ExpiryPolicy getExpiryPolicy() {
            return expiryPolicy;
        }

        public void setExpiryPolicy(@Nullable ExpiryPolicy expiryPolicy) {
            this.expiryPolicy = expiryPolicy;
        }

        public Duration getExpiryDuration() {
            return expiryDuration;
        }

        public void setExpiryDuration(Duration expiryDuration) {
            this.expiryDuration = expiryDuration;
        }

        public @Nullable Boolean getStatisticsEnabled() {
            return statisticsEnabled;
        }

        public void setStatisticsEnabled(@Nullable Boolean statisticsEnabled) {
            this.statisticsEnabled = statisticsEnabled;
        }

        public @Nullable Boolean getManagementEnabled() {
            return managementEnabled;
        }

        public void setManagementEnabled(@Nullable Boolean managementEnabled) {
            this.managementEnabled = managementEnabled;
        }
    }
}
