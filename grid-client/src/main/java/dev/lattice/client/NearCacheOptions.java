package dev.lattice.client;

import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.NearCachePreloaderConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How a client keeps a near cache for one map: an immutable value built with {@link #builder()}.
 *
 * <p>Defaults follow Hazelcast's: {@code BINARY} format, no time-to-live or max-idle, LRU eviction
 * at 10,000 entries, invalidate-on-change on, preloading off; Lattice's front ({@link Builder#front})
 * is off. Durations are whole seconds because Hazelcast counts near-cache expiry in seconds.
 *
 * <pre>{@code
 * NearCacheOptions options = NearCacheOptions.builder()
 *         .timeToLive(Duration.ofMinutes(5))
 *         .maxSize(50_000)
 *         .build();
 * }</pre>
 */
public final class NearCacheOptions {

    private final InMemoryFormat inMemoryFormat;
    private final Duration timeToLive;
    private final Duration maxIdle;
    private final EvictionPolicy evictionPolicy;
    private final int maxSize;
    private final boolean invalidateOnChange;
    private final boolean serializeKeys;
    private final boolean preload;
    private final String preloadDirectory;
    private final Duration preloadStoreInitialDelay;
    private final Duration preloadStoreInterval;
    private final boolean front;

    private NearCacheOptions(Builder builder) {
        this.inMemoryFormat = builder.inMemoryFormat;
        this.timeToLive = builder.timeToLive;
        this.maxIdle = builder.maxIdle;
        this.evictionPolicy = builder.evictionPolicy;
        this.maxSize = builder.maxSize;
        this.invalidateOnChange = builder.invalidateOnChange;
        this.serializeKeys = builder.serializeKeys;
        this.preload = builder.preload;
        this.preloadDirectory = builder.preloadDirectory;
        this.preloadStoreInitialDelay = builder.preloadStoreInitialDelay;
        this.preloadStoreInterval = builder.preloadStoreInterval;
        this.front = builder.front;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults described above. */
    public static NearCacheOptions defaults() {
        return builder().build();
    }

    public InMemoryFormat inMemoryFormat() {
        return inMemoryFormat;
    }

    /** How long an entry may live in the near cache; zero means until evicted or invalidated. */
    public Duration timeToLive() {
        return timeToLive;
    }

    /** How long an entry may stay unread; zero means forever. */
    public Duration maxIdle() {
        return maxIdle;
    }

    public EvictionPolicy evictionPolicy() {
        return evictionPolicy;
    }

    /** The most entries the near cache holds before it evicts. */
    public int maxSize() {
        return maxSize;
    }

    public boolean invalidateOnChange() {
        return invalidateOnChange;
    }

    public boolean serializeKeys() {
        return serializeKeys;
    }

    /** Whether the keys held are saved to disk and read back on restart (Hazelcast stores keys only). */
    public boolean preload() {
        return preload;
    }

    public String preloadDirectory() {
        return preloadDirectory;
    }

    public Duration preloadStoreInitialDelay() {
        return preloadStoreInitialDelay;
    }

    public Duration preloadStoreInterval() {
        return preloadStoreInterval;
    }

    /** Whether hits are served from Lattice's front before Hazelcast's near-cache path (see {@link Builder#front}). */
    public boolean front() {
        return front;
    }

    /** The Hazelcast config these options stand for, for the map (or wildcard pattern) {@code mapName}. */
    public NearCacheConfig toNearCacheConfig(String mapName) {
        EvictionConfig eviction = new EvictionConfig()
                .setEvictionPolicy(evictionPolicy)
                // The only policy an on-heap near cache supports; the others are for NATIVE memory.
                .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
                .setSize(maxSize);
        NearCachePreloaderConfig preloader = new NearCachePreloaderConfig(preload, preloadDirectory)
                .setStoreInitialDelaySeconds((int) preloadStoreInitialDelay.getSeconds())
                .setStoreIntervalSeconds((int) preloadStoreInterval.getSeconds());
        return new NearCacheConfig(mapName)
                .setInMemoryFormat(inMemoryFormat)
                .setTimeToLiveSeconds((int) timeToLive.getSeconds())
                .setMaxIdleSeconds((int) maxIdle.getSeconds())
                .setInvalidateOnChange(invalidateOnChange)
                .setSerializeKeys(serializeKeys)
                .setEvictionConfig(eviction)
                .setPreloaderConfig(preloader);
    }

    @Override
    public String toString() {
        return "NearCacheOptions{inMemoryFormat=" + inMemoryFormat + ", timeToLive=" + timeToLive
                + ", maxIdle=" + maxIdle + ", evictionPolicy=" + evictionPolicy + ", maxSize=" + maxSize
                + ", invalidateOnChange=" + invalidateOnChange + ", serializeKeys=" + serializeKeys
                + ", preload=" + preload + ", front=" + front + '}';
    }

    /** Checks every value as it is set; {@link #build()} checks the combinations. */
    public static final class Builder {
        private InMemoryFormat inMemoryFormat = NearCacheConfig.DEFAULT_MEMORY_FORMAT;
        private Duration timeToLive = Duration.ZERO;
        private Duration maxIdle = Duration.ZERO;
        private EvictionPolicy evictionPolicy = EvictionConfig.DEFAULT_EVICTION_POLICY;
        private int maxSize = EvictionConfig.DEFAULT_MAX_ENTRY_COUNT;
        private boolean invalidateOnChange = NearCacheConfig.DEFAULT_INVALIDATE_ON_CHANGE;
        private boolean serializeKeys = NearCacheConfig.DEFAULT_SERIALIZE_KEYS;
        private boolean preload;
        private String preloadDirectory = "";
        private Duration preloadStoreInitialDelay =
                Duration.ofSeconds(NearCachePreloaderConfig.DEFAULT_STORE_INITIAL_DELAY_SECONDS);
        private Duration preloadStoreInterval =
                Duration.ofSeconds(NearCachePreloaderConfig.DEFAULT_STORE_INTERVAL_SECONDS);
        private boolean front;

        private Builder() {
        }

        /** {@code BINARY} (default) or {@code OBJECT}; {@code NATIVE} needs Hazelcast Enterprise. */
        public Builder inMemoryFormat(InMemoryFormat inMemoryFormat) {
            Objects.requireNonNull(inMemoryFormat, "in-memory-format");
            if (inMemoryFormat == InMemoryFormat.NATIVE) {
                throw new IllegalArgumentException("in-memory-format NATIVE needs Hazelcast Enterprise's "
                        + "high-density memory; use BINARY or OBJECT");
            }
            this.inMemoryFormat = inMemoryFormat;
            return this;
        }

        public Builder timeToLive(Duration timeToLive) {
            this.timeToLive = Durations.wholeSeconds("time-to-live", timeToLive);
            return this;
        }

        public Builder maxIdle(Duration maxIdle) {
            this.maxIdle = Durations.wholeSeconds("max-idle", maxIdle);
            return this;
        }

        public Builder evictionPolicy(EvictionPolicy evictionPolicy) {
            this.evictionPolicy = Objects.requireNonNull(evictionPolicy, "eviction-policy");
            return this;
        }

        public Builder maxSize(int maxSize) {
            if (maxSize < 1) {
                throw new IllegalArgumentException("max-size must be positive, was " + maxSize);
            }
            this.maxSize = maxSize;
            return this;
        }

        /**
         * Whether the cluster tells this client when an entry changes (default {@code true}).
         * Turning it off needs a time-to-live or max-idle, or a changed entry would stay stale forever.
         */
        public Builder invalidateOnChange(boolean invalidateOnChange) {
            this.invalidateOnChange = invalidateOnChange;
            return this;
        }

        public Builder serializeKeys(boolean serializeKeys) {
            this.serializeKeys = serializeKeys;
            return this;
        }

        /** Saves the keys held to {@code directory} and reads them back on the next start. */
        public Builder preload(boolean preload) {
            this.preload = preload;
            return this;
        }

        /**
         * Where preload files go; empty (default) means the working directory. Clients on one
         * machine need a directory each: Hazelcast locks the file and a second client's preloader fails.
         */
        public Builder preloadDirectory(String preloadDirectory) {
            this.preloadDirectory = Objects.requireNonNull(preloadDirectory, "preload-directory");
            return this;
        }

        public Builder preloadStoreInitialDelay(Duration delay) {
            this.preloadStoreInitialDelay = Durations.wholeSeconds("preload-store-initial-delay",
                    Durations.positive("preload-store-initial-delay", delay));
            return this;
        }

        public Builder preloadStoreInterval(Duration interval) {
            this.preloadStoreInterval = Durations.wholeSeconds("preload-store-interval",
                    Durations.positive("preload-store-interval", interval));
            return this;
        }

        /**
         * Serves hits from a front owned by Lattice (a hash map of Hazelcast's own published
         * records, bounded by max-size) instead of Hazelcast's near-cache path: a hit costs tens of
         * nanoseconds instead of over a hundred (docs/benchmarks.md). Off by default. A hit returns
         * what the format would: the cached instance with {@code OBJECT}; with {@code BINARY} a
         * fresh copy, except immutable values (strings, boxed numbers, java.time values, enums),
         * which are deserialized once and shared. Needs no time-to-live or max-idle (the front does
         * not read the clock). Invalidations and Hazelcast's stale-read check apply to the front as
         * to the near cache; a front hit counts as a hit but does not refresh the entry for
         * Hazelcast's LRU/LFU eviction. Only a client started by {@link LatticeClientBuilder#build()}
         * has fronts; one started from {@link LatticeClientBuilder#toClientConfig()} has plain near caches.
         */
        public Builder front(boolean front) {
            this.front = front;
            return this;
        }

        /**
         * @throws IllegalStateException when the front is asked for with an expiry, or when
         *                               invalidate-on-change is off and nothing else would ever
         *                               refresh an entry
         */
        public NearCacheOptions build() {
            if (front && !(timeToLive.isZero() && maxIdle.isZero())) {
                throw new IllegalStateException("front=true can not be combined with a time-to-live or max-idle "
                        + "(were " + timeToLive.getSeconds() + " s and " + maxIdle.getSeconds()
                        + " s): the front does not read the clock");
            }
            if (!invalidateOnChange && timeToLive.isZero() && maxIdle.isZero()) {
                throw new IllegalStateException("invalidate-on-change=false can not be combined with no time-to-live "
                        + "and no max-idle: a changed entry would stay stale forever");
            }
            return new NearCacheOptions(this);
        }
    }
}
