package dev.lattice.monitoring.client;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import com.hazelcast.nearcache.NearCacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Meters for the near cache a Hazelcast client keeps for one map, tagged {@code map=<name>}.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Base unit</th></tr>
 *   <tr><td>{@code lattice.client.near.cache.gets} ({@code result=hit|miss})</td><td>counter</td><td>requests</td></tr>
 *   <tr><td>{@code lattice.client.near.cache.evictions}</td><td>counter</td><td>entries</td></tr>
 *   <tr><td>{@code lattice.client.near.cache.expirations}</td><td>counter</td><td>entries</td></tr>
 *   <tr><td>{@code lattice.client.near.cache.invalidations}</td><td>counter</td><td>entries</td></tr>
 *   <tr><td>{@code lattice.client.near.cache.invalidation.requests}</td><td>counter</td><td>requests</td></tr>
 *   <tr><td>{@code lattice.client.near.cache.entries}</td><td>gauge</td><td>entries</td></tr>
 *   <tr><td>{@code lattice.client.near.cache.memory}</td><td>gauge</td><td>bytes</td></tr>
 * </table>
 *
 * <p><b>What is missing, on purpose.</b> {@code memory} is only registered for the
 * {@link InMemoryFormat#BINARY BINARY} format: with {@code OBJECT} Hazelcast does not estimate
 * the size of deserialized values and reports 0, which a dashboard would read as "empty". There is
 * no put counter either: the near cache is filled only by reads that missed, so puts equal misses
 * minus failed loads, and Hazelcast keeps no count of its own.
 *
 * <p><b>Why not {@code HazelcastCacheMetrics}.</b> Micrometer's binder reads
 * {@link IMap#getLocalMapStats()}, which on a client proxy is empty apart from its near-cache
 * part: entry count, gets, puts, memory and latencies would all read 0 as if they were measured.
 * It stays the right binder for maps on members; this one covers what only the client knows.
 */
public final class NearCacheMetrics implements MeterBinder {

    private static final String PREFIX = "lattice.client.near.cache.";
    private static final String ENTRIES = "entries";
    private static final String REQUESTS = "requests";

    private final IMap<?, ?> map;
    private final InMemoryFormat inMemoryFormat;
    private final Tags tags;

    /**
     * @param map            a map proxy of a client that has a near cache configured for it
     * @param inMemoryFormat the near cache's format; decides whether the memory gauge is registered
     * @param tags           extra tags for every meter, besides {@code map}
     */
    public NearCacheMetrics(IMap<?, ?> map, InMemoryFormat inMemoryFormat, Iterable<Tag> tags) {
        this.map = Objects.requireNonNull(map, "map");
        this.inMemoryFormat = Objects.requireNonNull(inMemoryFormat, "inMemoryFormat");
        this.tags = Tags.concat(tags, "map", map.getName());
    }

    /** Binds the meters for {@code map}'s near cache to {@code registry} and returns the map. */
    public static <M extends IMap<?, ?>> M monitor(MeterRegistry registry, M map, InMemoryFormat inMemoryFormat,
                                                  String... tags) {
        new NearCacheMetrics(map, inMemoryFormat, Tags.of(tags)).bindTo(registry);
        return map;
    }

    /**
     * @throws IllegalArgumentException when the map has no near cache here: a member's proxy, or a
     *                                  client without a near-cache config for this map
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        if (stats(map) == null) {
            throw new IllegalArgumentException("map '" + map.getName()
                    + "' has no near cache on this instance: configure one on the client before binding its metrics");
        }
        counter(registry, "gets", "Reads served from the near cache", REQUESTS, NearCacheStats::getHits, "hit");
        counter(registry, "gets", "Reads the near cache could not serve, so they went to the cluster", REQUESTS,
                NearCacheStats::getMisses, "miss");
        counter(registry, "evictions", "Entries evicted because the near cache reached its maximum size", ENTRIES,
                NearCacheStats::getEvictions, null);
        counter(registry, "expirations", "Entries removed because their time-to-live or max-idle passed", ENTRIES,
                NearCacheStats::getExpirations, null);
        counter(registry, "invalidations", "Entries removed because the cluster reported a change", ENTRIES,
                NearCacheStats::getInvalidations, null);
        counter(registry, "invalidation.requests", "Invalidation events received from the cluster, "
                + "including those for keys this near cache did not hold", REQUESTS,
                NearCacheStats::getInvalidationRequests, null);
        gauge(registry, "entries", "Entries held in the near cache", ENTRIES, NearCacheStats::getOwnedEntryCount);
        if (inMemoryFormat == InMemoryFormat.BINARY) {
            gauge(registry, "memory", "Estimated heap held by near-cache entries", BaseUnits.BYTES,
                    NearCacheStats::getOwnedEntryMemoryCost);
        }
    }

    private void counter(MeterRegistry registry, String name, String description, String unit,
                         ToLongFunction<NearCacheStats> statistic, String result) {
        Tags meterTags = result == null ? tags : tags.and("result", result);
        FunctionCounter.builder(PREFIX + name, map, m -> read(m, statistic))
                .description(description)
                .baseUnit(unit)
                .tags(meterTags)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
                       ToLongFunction<NearCacheStats> statistic) {
        Gauge.builder(PREFIX + name, map, m -> read(m, statistic))
                .description(description)
                .baseUnit(unit)
                .tags(tags)
                .register(registry);
    }

    private static double read(IMap<?, ?> map, ToLongFunction<NearCacheStats> statistic) {
        NearCacheStats stats = stats(map);
        // A destroyed map or a shut-down client has no statistics left: NaN says "unknown", 0 would lie.
        return stats == null ? Double.NaN : statistic.applyAsLong(stats);
    }

    private static NearCacheStats stats(IMap<?, ?> map) {
        LocalMapStats local = map.getLocalMapStats();
        return local == null ? null : local.getNearCacheStats();
    }
}
