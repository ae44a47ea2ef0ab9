package dev.lattice.server.config;

import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MaxSizePolicy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * One map's settings under {@code lattice.maps.<name>}. Defaults are Hazelcast's, except where
 * a field says otherwise.
 */
public class MapProperties {

    /** Hazelcast's limit on the total number of backups of a partition. */
    static final int MAX_BACKUPS = 6;

    /** Map-wide sizes Hazelcast understands for a map (the others apply to caches or need Enterprise). */
    private static final Set<MaxSizePolicy> MAP_SIZE_POLICIES = EnumSet.of(MaxSizePolicy.PER_NODE,
            MaxSizePolicy.PER_PARTITION, MaxSizePolicy.USED_HEAP_SIZE, MaxSizePolicy.USED_HEAP_PERCENTAGE,
            MaxSizePolicy.FREE_HEAP_SIZE, MaxSizePolicy.FREE_HEAP_PERCENTAGE);

    /**
     * Synchronous backups of each entry on other members: a write returns only after they have
     * it, so this many members can die at once without losing acknowledged data. Default 1.
     */
    private int backupCount = 1;

    /** Backups made after the write has returned; cheaper, but lost if the owner dies first. Default 0. */
    private int asyncBackupCount;

    /** How long an entry lives after its last write; 0 means forever. Whole seconds. Default 0. */
    private Duration timeToLive = Duration.ZERO;

    /** How long an entry lives after its last read or write; 0 means forever. Whole seconds. Default 0. */
    private Duration maxIdle = Duration.ZERO;

    /** {@code BINARY} (serialized, fast for get/put) or {@code OBJECT} (deserialized, fast for queries). Default BINARY. */
    private InMemoryFormat inMemoryFormat = InMemoryFormat.BINARY;

    /** Let a member answer reads from its backup copies: faster, but a read may miss the latest write. Default false. */
    private boolean readBackupData;

    /** Keep per-map statistics (needed by metrics and the near cache). Default true. */
    private boolean statisticsEnabled = true;
    private final Eviction eviction = new Eviction();

    /** The table backing this map, if any. Default: none, the map lives in memory only. */
    private final StoreProperties store = new StoreProperties();

    void validate(String path, InvalidProperties invalid) {
        invalid.range(path + ".backup-count", backupCount, 0, MAX_BACKUPS);
        invalid.range(path + ".async-backup-count", asyncBackupCount, 0, MAX_BACKUPS);
        if (backupCount >= 0 && asyncBackupCount >= 0 && backupCount <= MAX_BACKUPS && asyncBackupCount <= MAX_BACKUPS
                && backupCount + asyncBackupCount > MAX_BACKUPS) {
            invalid.reject(path + ".async-backup-count", asyncBackupCount,
                    "backup-count (" + backupCount + ") plus async-backup-count (" + asyncBackupCount + ") must be at most " + MAX_BACKUPS);
        }
        invalid.wholeSeconds(path + ".time-to-live", timeToLive, 0);
        invalid.wholeSeconds(path + ".max-idle", maxIdle, 0);
        if (inMemoryFormat == null || inMemoryFormat == InMemoryFormat.NATIVE) {
            invalid.reject(path + ".in-memory-format", inMemoryFormat, "use BINARY or OBJECT (NATIVE needs Hazelcast Enterprise)");
        }
        eviction.validate(path + ".eviction", invalid);
    }

    public StoreProperties getStore() {
        return store;
    }

    public int getBackupCount() {
        return backupCount;
    }

    public void setBackupCount(int backupCount) {
        this.backupCount = backupCount;
    }

    public int getAsyncBackupCount() {
        return asyncBackupCount;
    }

    public void setAsyncBackupCount(int asyncBackupCount) {
        this.asyncBackupCount = asyncBackupCount;
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

    public InMemoryFormat getInMemoryFormat() {
        return inMemoryFormat;
    }

    public void setInMemoryFormat(InMemoryFormat inMemoryFormat) {
        this.inMemoryFormat = inMemoryFormat;
    }

    public boolean isReadBackupData() {
        return readBackupData;
    }

    public void setReadBackupData(boolean readBackupData) {
        this.readBackupData = readBackupData;
    }

    public boolean isStatisticsEnabled() {
        return statisticsEnabled;
    }

    public void setStatisticsEnabled(boolean statisticsEnabled) {
        this.statisticsEnabled = statisticsEnabled;
    }

    public Eviction getEviction() {
        return eviction;
    }

    /** Which entries go when the map is full. */
    public static class Eviction {

        /** {@code NONE}, {@code LRU}, {@code LFU} or {@code RANDOM}. Default NONE: a full map rejects nothing and grows. */
        private EvictionPolicy policy = EvictionPolicy.NONE;

        /** What {@link #size} counts: {@code PER_NODE} entries, {@code PER_PARTITION}, or heap measures. Default PER_NODE. */
        private MaxSizePolicy maxSizePolicy = MaxSizePolicy.PER_NODE;

        /** The limit, in the unit of {@link #maxSizePolicy}. Default {@link Integer#MAX_VALUE}. */
        private int size = Integer.MAX_VALUE;

        void validate(String path, InvalidProperties invalid) {
            if (policy == null) {
                invalid.reject(path + ".policy", null, "must be one of " + EnumSet.allOf(EvictionPolicy.class));
            }
            if (maxSizePolicy == null || !MAP_SIZE_POLICIES.contains(maxSizePolicy)) {
                invalid.reject(path + ".max-size-policy", maxSizePolicy, "is not a map size policy; use one of " + MAP_SIZE_POLICIES);
            }
            invalid.range(path + ".size", size, 1, Integer.MAX_VALUE);
            if (policy != null && policy != EvictionPolicy.NONE && size == Integer.MAX_VALUE) {
                invalid.reject(path + ".size", size, "eviction policy " + policy + " needs a size, or nothing is ever evicted");
            }
        }

        public EvictionPolicy getPolicy() {
            return policy;
        }

        public void setPolicy(EvictionPolicy policy) {
            this.policy = policy;
        }

        public MaxSizePolicy getMaxSizePolicy() {
            return maxSizePolicy;
        }

        public void setMaxSizePolicy(MaxSizePolicy maxSizePolicy) {
            this.maxSizePolicy = maxSizePolicy;
        }

        public int getSize() {
            return size;
        }

        public void setSize(int size) {
            this.size = size;
        }
    }
}
