package dev.lattice.client;

import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.internal.adapter.DataStructureAdapter;
import com.hazelcast.internal.monitor.impl.NearCacheStatsImpl;
import com.hazelcast.internal.nearcache.NearCache;
import com.hazelcast.internal.nearcache.NearCacheRecord;
import com.hazelcast.internal.nearcache.impl.DefaultNearCache;
import com.hazelcast.internal.nearcache.impl.invalidation.MetaDataContainer;
import com.hazelcast.internal.nearcache.impl.invalidation.StaleReadDetector;
import com.hazelcast.internal.nearcache.impl.invalidation.StaleReadDetectorImpl;
import com.hazelcast.internal.nearcache.impl.record.AbstractNearCacheRecord;
import com.hazelcast.internal.nearcache.impl.store.AbstractNearCacheRecordStore;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.nearcache.NearCacheStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Hazelcast's near cache with a front: a bounded hash map ({@link FrontMap}) from key to the very
 * record Hazelcast's store published, so a hit costs one hash-map read and the checks below instead of Hazelcast's
 * whole path (segmented map, three clock reads, per-record bookkeeping; see docs/benchmarks.md,
 * Profiles).
 *
 * <p>Hazelcast's store stays the source of truth: misses, reservations and publishing go to it
 * unchanged. The front only ever holds a record that was in the store and published, and a front
 * hit returns it only if Hazelcast would: the record is still published (not re-reserved) and the
 * invalidation metadata does not mark it stale (the same check as Hazelcast's
 * {@code StaleReadDetectorImpl}, which catches invalidations the client missed). Every
 * invalidation reaches this class, because the proxy, the repairing handler and the manager all
 * hold it rather than the store: {@link #invalidate} and {@link #clear} empty the store first and
 * the front second. {@link #admit} puts a record in the front and then checks it is still the
 * store's; together the two orders mean a record invalidated while it was being admitted can not
 * stay in the front (whichever of the two removals runs second sees the other's write).
 *
 * <p>What a hit returns is what Hazelcast's path would: with OBJECT format the cached instance;
 * with BINARY a fresh copy deserialized from the record, except for values every reader may share
 * ({@link SharedValues}: strings, boxed numbers, java.time values, enums), deserialized once when
 * the record is admitted. Not with a time-to-live or max-idle ({@link NearCacheOptions} checks):
 * expiry would need the clock reads the front exists to avoid.
 *
 * <p>A front hit counts as a near-cache hit in Hazelcast's statistics but does not refresh the
 * record's access time or hit count, which Hazelcast's LRU/LFU sampling reads; a hot key the store
 * evicts for that reason stays in the front (whose own bound is max-size), so up to twice max-size
 * entries can be referenced when the working set is larger than max-size.
 *
 * <p>Built on Hazelcast 5.7 internals (the record store, its stale-read detector, the statistics
 * implementation); {@code NearCacheFrontTest} exercises each of them against a real member.
 */
final class FrontedNearCache<K, V> implements NearCache<K, V> {

    /** The state of a published record (Hazelcast's {@code NearCacheRecord.READ_PERMITTED}). */
    private static final long READ_PERMITTED = -2L;
    private static final VarHandle RECORD_UUID = recordUuid();

    private final DefaultNearCache<K, V> delegate;
    private final SerializationService serialization;
    private final FrontMap<Entry> front;
    private volatile AbstractNearCacheRecordStore<K, V, ?, ?, ?> store;
    private volatile NearCacheStatsImpl stats;
    /** Runs between reading a record and putting it in the front; tests widen that window with it. */
    private volatile Consumer<Object> beforeAdmit = key -> { };
    /** Runs between the two steps of {@link #invalidate}; tests widen that window with it. */
    private volatile Consumer<Object> betweenInvalidationSteps = key -> { };

    /**
     * A record in the front, with the value all readers may share ({@code null} when each hit must
     * deserialize its own copy). Compared by identity: a removal takes out only the entry it read.
     */
    private static final class Entry extends FrontMap.Slot {
        final NearCacheRecord record;
        final Object shared;

        Entry(NearCacheRecord record, Object shared) {
            this.record = record;
            this.shared = shared;
        }
    }

    FrontedNearCache(DefaultNearCache<K, V> delegate, SerializationService serialization) {
        this.delegate = delegate;
        this.serialization = serialization;
        this.front = new FrontMap<>(delegate.getNearCacheConfig().getEvictionConfig().getSize());
    }

    @Override
    public void initialize() {
        delegate.initialize();
        this.store = (AbstractNearCacheRecordStore<K, V, ?, ?, ?>) delegate.getNearCacheRecordStore();
        this.stats = (NearCacheStatsImpl) store.getNearCacheStats();
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(K key) {
        Object hit = frontHit(key);
        if (hit != NOT_CACHED) {
            return (V) hit;
        }
        V value = delegate.get(key);
        if (value != null) {
            admit(key);
        }
        return value;
    }

    /**
     * What a front hit for {@code key} returns ({@link #CACHED_AS_NULL} for a key cached as having
     * no value), or {@link #NOT_CACHED} when the front can not answer and Hazelcast's store must.
     * The value is deserialized already; {@link FrontedMapProxy} returns it as it is.
     */
    Object frontHit(Object key) {
        Entry entry = front.get(key);
        if (entry == null) {
            return NOT_CACHED;
        }
        NearCacheRecord record = entry.record;
        // The state before the value: publishing writes the value, then the state (both volatile).
        if (record.getReservationId() == READ_PERMITTED) {
            Object value = record.getValue();
            if ((value != null || record.isCachedAsNull()) && !isStale(key, record)) {
                stats.incrementHits();
                entry.markRead();
                Object shared = entry.shared;
                return value == null ? CACHED_AS_NULL : shared != null ? shared : serialization.toObject(value);
            }
        }
        front.remove(key, entry);
        return NOT_CACHED;
    }

    private boolean isStale(Object key, NearCacheRecord record) {
        // Set by Hazelcast's repairing task once the invalidation listener registers, so read per hit.
        StaleReadDetector detector = store.getStaleReadDetector();
        if (detector == StaleReadDetector.ALWAYS_FRESH) {
            return false;
        }
        if (!(detector instanceof StaleReadDetectorImpl) || !(record instanceof AbstractNearCacheRecord<?> created)) {
            return detector.isStaleRead(key, record);
        }
        // StaleReadDetectorImpl's answer, with one shortcut: a record keeps the very UUID instance its
        // partition's metadata held when the record was created, and the metadata swaps in a new instance
        // only when the UUID changes, so the same instance is the same UUID without comparing its bits.
        // Read as Hazelcast reads the field (volatile), so the answer is the one its check would give.
        MetaDataContainer latest = detector.getMetaDataContainer(record.getPartitionId());
        UUID uuid = latest.getUuid();
        boolean sameUuid = uuid != null && (RECORD_UUID.getVolatile(created) == uuid || record.hasSameUuid(uuid));
        return !sameUuid || record.getInvalidationSequence() < latest.getStaleSequence();
    }

    /** Hazelcast's record keeps its partition UUID in a field it offers no getter for. */
    private static VarHandle recordUuid() {
        try {
            return MethodHandles.privateLookupIn(AbstractNearCacheRecord.class, MethodHandles.lookup())
                    .findVarHandle(AbstractNearCacheRecord.class, "uuid", UUID.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Hazelcast's near-cache record has no 'uuid' field: this Hazelcast version"
                    + " is not the one Lattice's near-cache front was built for", e);
        }
    }

    /** Puts the store's published record for {@code key} in the front, unless it is gone by then. */
    private void admit(K key) {
        NearCacheRecord record = store.getRecord(key);
        if (record == null || record.getReservationId() != READ_PERMITTED) {
            return;
        }
        Object value = record.getValue();
        Object shared = value instanceof Data data ? shareableOrNull(serialization.toObject(data)) : value;
        Entry entry = new Entry(record, shared);
        beforeAdmit.accept(key);
        front.put(key, entry);
        if (store.getRecord(key) != record || record.getReservationId() != READ_PERMITTED) {
            front.remove(key, entry);
        }
    }

    private static Object shareableOrNull(Object value) {
        return value != null && SharedValues.shareable(value) ? value : null;
    }

    @Override
    public V tryPublishReserved(K key, V value, long reservationId, boolean deserialize) {
        V cached = delegate.tryPublishReserved(key, value, reservationId, deserialize);
        admit(key);
        return cached;
    }

    @Override
    public long tryReserveForUpdate(K key, Data keyData, UpdateSemantic updateSemantic) {
        return delegate.tryReserveForUpdate(key, keyData, updateSemantic);
    }

    @Override
    public void invalidate(K key) {
        delegate.invalidate(key);
        betweenInvalidationSteps.accept(key);
        front.remove(key);
    }

    @Override
    public void clear() {
        delegate.clear();
        front.clear();
    }

    @Override
    public void destroy() {
        delegate.destroy();
        front.clear();
    }

    @Override
    public void put(K key, Data keyData, V value, Data valueData) {
        delegate.put(key, keyData, value, valueData);
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public NearCacheConfig getNearCacheConfig() {
        return delegate.getNearCacheConfig();
    }

    @Override
    public int size() {
        return delegate.size();
    }

    @Override
    public NearCacheStats getNearCacheStats() {
        return delegate.getNearCacheStats();
    }

    @Override
    public boolean isSerializeKeys() {
        return delegate.isSerializeKeys();
    }

    @Override
    public void preload(DataStructureAdapter<Object, ?> adapter) {
        delegate.preload(adapter);
    }

    @Override
    public void storeKeys() {
        delegate.storeKeys();
    }

    @Override
    public boolean isPreloadDone() {
        return delegate.isPreloadDone();
    }

    /** This class, or what the store's own near cache unwraps to (the repairing task asks for it). */
    @Override
    public <T> T unwrap(Class<T> type) {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    void beforeAdmit(Consumer<Object> hook) {
        this.beforeAdmit = hook;
    }

    void betweenInvalidationSteps(Consumer<Object> hook) {
        this.betweenInvalidationSteps = hook;
    }

    /** How many records the front holds, for tests. */
    long frontSize() {
        return front.size();
    }

    @Override
    public String toString() {
        return "FrontedNearCache{" + delegate + '}';
    }
}
