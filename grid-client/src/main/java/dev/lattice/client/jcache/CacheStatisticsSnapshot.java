package dev.lattice.client.jcache;

import com.hazelcast.cache.impl.CacheStatisticsImpl;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;

/**
 * The JSR-107 counters of one cache, from one member or summed over several. Times are kept as
 * nanosecond totals, not averages, so sums and differences stay exact.
 */
public final class CacheStatisticsSnapshot implements DataSerializable {

    static final CacheStatisticsSnapshot ZERO = new CacheStatisticsSnapshot();

    private long hits;
    private long misses;
    private long puts;
    private long removals;
    private long evictions;
    private long getNanos;
    private long putNanos;
    private long removeNanos;

    /** For Hazelcast's deserialization. */
    public CacheStatisticsSnapshot() {
    }

    private CacheStatisticsSnapshot(long hits, long misses, long puts, long removals, long evictions,
                                    long getNanos, long putNanos, long removeNanos) {
        this.hits = hits;
        this.misses = misses;
        this.puts = puts;
        this.removals = removals;
        this.evictions = evictions;
        this.getNanos = getNanos;
        this.putNanos = putNanos;
        this.removeNanos = removeNanos;
    }

    /** The counters a member keeps for its own partitions. */
    static CacheStatisticsSnapshot of(CacheStatisticsImpl stats) {
        return new CacheStatisticsSnapshot(stats.getCacheHits(), stats.getCacheMisses(), stats.getCachePuts(),
                stats.getCacheRemovals(), stats.getCacheEvictions(), stats.getCacheGetTimeTakenNanos(),
                stats.getCachePutTimeTakenNanos(), stats.getCacheRemoveTimeTakenNanos());
    }

    CacheStatisticsSnapshot plus(CacheStatisticsSnapshot other) {
        return new CacheStatisticsSnapshot(hits + other.hits, misses + other.misses, puts + other.puts,
                removals + other.removals, evictions + other.evictions, getNanos + other.getNanos,
                putNanos + other.putNanos, removeNanos + other.removeNanos);
    }

    CacheStatisticsSnapshot minus(CacheStatisticsSnapshot other) {
        return new CacheStatisticsSnapshot(hits - other.hits, misses - other.misses, puts - other.puts,
                removals - other.removals, evictions - other.evictions, getNanos - other.getNanos,
                putNanos - other.putNanos, removeNanos - other.removeNanos);
    }

    /**
     * Whether any counter is below {@code earlier}'s: the members reset their statistics in
     * between (statistics switched off and on, a counter overflowed, a member left).
     */
    boolean isBelow(CacheStatisticsSnapshot earlier) {
        return hits < earlier.hits || misses < earlier.misses || puts < earlier.puts || removals < earlier.removals
                || evictions < earlier.evictions || getNanos < earlier.getNanos || putNanos < earlier.putNanos
                || removeNanos < earlier.removeNanos;
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    long gets() {
        return hits + misses;
    }

    long puts() {
        return puts;
    }

    long removals() {
        return removals;
    }

    long evictions() {
        return evictions;
    }

    /** Microseconds, as JSR-107 specifies; 0 when nothing was counted. */
    float averageGetMicros() {
        return average(getNanos, gets());
    }

    float averagePutMicros() {
        return average(putNanos, puts);
    }

    float averageRemoveMicros() {
        return average(removeNanos, removals);
    }

    private static float average(long nanos, long count) {
        return nanos <= 0 || count <= 0 ? 0f : nanos / (float) count / 1_000f;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        for (long value : new long[] {hits, misses, puts, removals, evictions, getNanos, putNanos, removeNanos}) {
            out.writeLong(value);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        hits = in.readLong();
        misses = in.readLong();
        puts = in.readLong();
        removals = in.readLong();
        evictions = in.readLong();
        getNanos = in.readLong();
        putNanos = in.readLong();
        removeNanos = in.readLong();
    }

    @Override
    public String toString() {
        return "CacheStatisticsSnapshot{hits=" + hits + ", misses=" + misses + ", puts=" + puts + ", removals=" + removals
                + ", evictions=" + evictions + '}';
    }
}
