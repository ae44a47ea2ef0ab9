package dev.lattice.client.autoconfigure;

import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationUnit;

/** "lattice.client.near-cache.NAME.*": one map's near cache. Durations without a unit are seconds. */
public class LatticeNearCacheProperties {

    /** BINARY or OBJECT (NATIVE needs Hazelcast Enterprise). Default: BINARY. */
    private @Nullable InMemoryFormat inMemoryFormat;

    /** How long an entry lives, whole seconds; 0 means until evicted or invalidated. Default: 0. */
    @DurationUnit(ChronoUnit.SECONDS)
    private @Nullable Duration timeToLive;

    /** How long an entry may stay unread, whole seconds; 0 means forever. Default: 0. */
    @DurationUnit(ChronoUnit.SECONDS)
    private @Nullable Duration maxIdle;

    /** LRU, LFU, RANDOM or NONE. Default: LRU. */
    private @Nullable EvictionPolicy evictionPolicy;

    /** The most entries held before eviction. Default: 10000. */
    private @Nullable Integer maxSize;

    /**
     * Whether the cluster tells this client when an entry changes. Default: true;
     * false needs a time-to-live or max-idle.
     */
    private @Nullable Boolean invalidateOnChange;

    /** Whether keys are stored serialized. Default: false. */
    private @Nullable Boolean serializeKeys;

    /**
     * Whether hits are served from Lattice's front (a bounded hash map of the near cache's records)
     * instead of Hazelcast's near-cache path; needs no time-to-live or max-idle.
     * Default: false.
     */
    private @Nullable Boolean front;

    /** Saving the held keys to disk and reading them back on restart. */
    private final Preload preload = new Preload();

    public InMemoryFormat getInMemoryFormat() {
        return inMemoryFormat;
    }

    public void setInMemoryFormat(InMemoryFormat inMemoryFormat) {
        this.inMemoryFormat = inMemoryFormat;
    }

    public Duration getTimeToLive() {
        return timeToLive;
    }

    public void setTimeToLive(Duration timeToLive) {
        this.timeToLive = timeToLive;
    }

    public Duration getMaxIdle() {
        return maxIdle;
    }

    public void setMaxIdle(Duration maxIdle) {
        this.maxIdle = maxIdle;
    }

    public EvictionPolicy getEvictionPolicy() {
        return evictionPolicy;
    }

    public void setEvictionPolicy(EvictionPolicy evictionPolicy) {
        this.evictionPolicy = evictionPolicy;
    }

    public @Nullable Integer getMaxSize() {
        return maxSize;
    }

    public void setMaxSize(@Nullable Integer maxSize) {
        this.maxSize = maxSize;
    }

    public @Nullable Boolean getInvalidateOnChange() {
        return invalidateOnChange;
    }

    public void setInvalidateOnChange(@Nullable Boolean invalidateOnChange) {
        this.invalidateOnChange = invalidateOnChange;
    }

    public @Nullable Boolean getFront() {
        return front;
    }

    public void setFront(@Nullable Boolean front) {
        this.front = front;
    }

    public @Nullable Boolean getSerializeKeys() {
        return serializeKeys;
    }

    public void setSerializeKeys(@Nullable Boolean serializeKeys) {
        this.serializeKeys = serializeKeys;
    }

    public Preload getPreload() {
        return preload;
    }

    /** "lattice.client.near-cache.NAME.preload.*". Hazelcast saves keys only; values are fetched again. */
    public static class Preload {

        /** Whether to save and reload the near cache's keys. Default: false. */
        private @Nullable Boolean enabled;

        /** Where the key files go. Default: empty, the working directory. */
        private @Nullable String directory;

        /** Wait before the first save, whole seconds. Default: 600s. */
        @DurationUnit(ChronoUnit.SECONDS)
        private @Nullable Duration storeInitialDelay;

        /** Time between saves, whole seconds. Default: 600s. */
        @DurationUnit(ChronoUnit.SECONDS)
        private @Nullable Duration storeInterval;

        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public String getDirectory() {
            return directory;
        }

        public void setDirectory(String directory) {
            this.directory = directory;
        }

        public Duration getStoreInitialDelay() {
            return storeInitialDelay;
        }

        public void setStoreInitialDelay(Duration storeInitialDelay) {
            this.storeInitialDelay = storeInitialDelay;
        }

        public Duration getStoreInterval() {
            return storeInterval;
        }

        public void setStoreInterval(Duration storeInterval) {
            this.storeInterval = storeInterval;
        }
    }
}
