package dev.lattice.server.config;

import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MaxSizePolicy;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One map's settings under {@code lattice.maps.<name>}. Every field is {@code null} until the
 * user sets it, and only what was set overrides anything: a map's value comes from
 * {@code lattice.maps.<name>}, else {@code lattice.maps.default}, else the map's entry in
 * {@code lattice.config-file} (or that file's {@code default} map), else Hazelcast's own default
 * ({@link com.hazelcast.config.MapConfig}), which is the one place the defaults below are stated.
 */
public class MapProperties {

    /**
     * Synchronous backups of each entry on other members: a write returns only after they have
     * it, so this many members can die at once without losing acknowledged data. 0 to 6.
     * Default: Hazelcast's, 1.
     */
    private @Nullable Integer backupCount;

    /** Backups made after the write has returned; cheaper, but lost if the owner dies first. Default: Hazelcast's, 0. */
    private @Nullable Integer asyncBackupCount;

    /** How long an entry lives after its last write; 0 means forever. Whole seconds. Default: Hazelcast's, 0. */
    private @Nullable Duration timeToLive;

    /** How long an entry lives after its last read or write; 0 means forever. Whole seconds. Default: Hazelcast's, 0. */
    private @Nullable Duration maxIdle;

    /** {@code BINARY} (serialized, fast for get/put) or {@code OBJECT} (deserialized, fast for queries). Default: Hazelcast's, BINARY. */
    private @Nullable InMemoryFormat inMemoryFormat;

    /** Let a member answer reads from its backup copies: faster, but a read may miss the latest write. Default: Hazelcast's, false. */
    private @Nullable Boolean readBackupData;

    /** Keep per-map statistics (needed by metrics and the near cache). Default: Hazelcast's, true. */
    private @Nullable Boolean statisticsEnabled;

    /** Which entries go when the map is full. */
    private final Eviction eviction = new Eviction();

    /**
     * The table backing this map, if any. Default: none, the map lives in memory only. Not
     * allowed under {@code lattice.maps.default}: every map would share one table.
     */
    private final StoreProperties store = new StoreProperties();

    public StoreProperties getStore() {
        return store;
    }

    public @Nullable Integer getBackupCount() {
        return backupCount;
    }

    public void setBackupCount(@Nullable Integer backupCount) {
        this.backupCount = backupCount;
    }

    public @Nullable Integer getAsyncBackupCount() {
        return asyncBackupCount;
    }

    public void setAsyncBackupCount(@Nullable Integer asyncBackupCount) {
        this.asyncBackupCount = asyncBackupCount;
    }

    public @Nullable Duration getTimeToLive() {
        return timeToLive;
    }

    public void setTimeToLive(@Nullable Duration timeToLive) {
        this.timeToLive = timeToLive;
    }

    public @Nullable Duration getMaxIdle() {
        return maxIdle;
    }

    public void setMaxIdle(@Nullable Duration maxIdle) {
        this.maxIdle = maxIdle;
    }

    public @Nullable InMemoryFormat getInMemoryFormat() {
        return inMemoryFormat;
    }

    public void setInMemoryFormat(@Nullable InMemoryFormat inMemoryFormat) {
        this.inMemoryFormat = inMemoryFormat;
    }

    public @Nullable Boolean getReadBackupData() {
        return readBackupData;
    }

    public void setReadBackupData(@Nullable Boolean readBackupData) {
        this.readBackupData = readBackupData;
    }

    public @Nullable Boolean getStatisticsEnabled() {
        return statisticsEnabled;
    }

    public void setStatisticsEnabled(@Nullable Boolean statisticsEnabled) {
        this.statisticsEnabled = statisticsEnabled;
    }

    public Eviction getEviction() {
        return eviction;
    }

    /** Which entries go when the map is full. */
    public static class Eviction {

        /** {@code NONE}, {@code LRU}, {@code LFU} or {@code RANDOM}; a policy other than NONE needs a size. Default: Hazelcast's, NONE. */
        private @Nullable EvictionPolicy policy;

        /** What {@link #size} counts: {@code PER_NODE} entries, {@code PER_PARTITION}, or heap measures. Default: Hazelcast's, PER_NODE. */
        private @Nullable MaxSizePolicy maxSizePolicy;

        /** The limit, in the unit of {@link #maxSizePolicy}. Default: Hazelcast's, 2147483647 (no limit). */
        private @Nullable Integer size;

        public @Nullable EvictionPolicy getPolicy() {
            return policy;
        }

        public void setPolicy(@Nullable EvictionPolicy policy) {
            this.policy = policy;
        }

        public @Nullable MaxSizePolicy getMaxSizePolicy() {
            return maxSizePolicy;
        }

        public void setMaxSizePolicy(@Nullable MaxSizePolicy maxSizePolicy) {
            this.maxSizePolicy = maxSizePolicy;
        }

        public @Nullable Integer getSize() {
            return size;
        }

        public void setSize(@Nullable Integer size) {
            this.size = size;
        }
    }
}
