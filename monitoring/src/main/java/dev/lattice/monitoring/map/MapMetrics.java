package dev.lattice.monitoring.map;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.exception.DistributedObjectDestroyedException;
import com.hazelcast.map.LocalMapStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.HazelcastCacheMetrics;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Meters for the part of one map a member holds, tagged {@code map=<name>}: Micrometer's
 * {@link HazelcastCacheMetrics} for what it covers, plus what it lacks.
 *
 * <table>
 *   <caption>Meters from {@code HazelcastCacheMetrics} (also tagged {@code cache=<name>})</caption>
 *   <tr><th>Name</th><th>Type</th><th>Base unit</th></tr>
 *   <tr><td>{@code cache.size}</td><td>gauge (owned entries)</td><td>none</td></tr>
 *   <tr><td>{@code cache.entries} ({@code ownership=owned|backup})</td><td>gauge</td><td>none</td></tr>
 *   <tr><td>{@code cache.entry.memory} ({@code ownership=owned|backup})</td><td>gauge</td><td>bytes</td></tr>
 *   <tr><td>{@code cache.gets} ({@code result=hit})</td><td>counter</td><td>none</td></tr>
 *   <tr><td>{@code cache.puts} (puts and sets)</td><td>counter</td><td>none</td></tr>
 *   <tr><td>{@code cache.partition.gets}</td><td>counter</td><td>none</td></tr>
 *   <tr><td>{@code cache.gets.latency}, {@code cache.puts.latency}, {@code cache.removals.latency}</td><td>function timer</td><td>seconds</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Meters added here</caption>
 *   <tr><th>Name</th><th>Type</th><th>Base unit</th></tr>
 *   <tr><td>{@code lattice.map.sets.latency}</td><td>function timer</td><td>seconds</td></tr>
 *   <tr><td>{@code lattice.map.evicted.entries}</td><td>counter</td><td>entries</td></tr>
 *   <tr><td>{@code lattice.map.expired.entries}</td><td>counter</td><td>entries</td></tr>
 *   <tr><td>{@code lattice.map.events}</td><td>counter</td><td>events</td></tr>
 * </table>
 *
 * <p><b>What is missing, and why.</b> Misses: a member cannot tell a miss from a get of a key
 * another member owns (Micrometer registers no {@code result=miss} for Hazelcast, see its issue
 * 586). Percentiles: Hazelcast keeps only a count, a total and a maximum per operation, so the
 * timers give rates and averages, not a histogram. Units: Micrometer's own meters are kept as
 * they are, names and all, so dashboards written for {@code HazelcastCacheMetrics} keep working;
 * the base units they lack are stated in the metrics reference. The write-behind queue is the
 * loader's {@code lattice.mapstore.write.behind.backlog}, not repeated here.
 *
 * <p>{@code lattice.map.events} counts the map events this member handed to listeners. Lattice
 * clients register a listener per near cache, so on a grid without entry listeners this is the
 * number of near-cache invalidation messages sent; with batching on (the default) one message
 * carries a batch of keys, and each listening client counts once.
 *
 * <p>Bind it to a member's map proxy only: a client's proxy reports zeros here, not measurements.
 * Keep this binder referenced while its meters are in use (as {@link MemberMapsMetrics} does).
 */
public final class MapMetrics implements MeterBinder {

    /** The tag every map meter carries. */
    public static final String MAP_TAG = "map";

    private final IMap<?, ?> map;
    private final Tags tags;
    /** Held here because Micrometer's meters reference what they read only weakly. */
    private final HazelcastCacheMetrics cacheMetrics;

    /**
     * @param map  a member's proxy of the map
     * @param tags extra tags for every meter, besides {@code map}
     */
    public MapMetrics(IMap<?, ?> map, Iterable<Tag> tags) {
        this.map = Objects.requireNonNull(map, "map");
        this.tags = Tags.concat(tags, MAP_TAG, map.getName());
        this.cacheMetrics = new HazelcastCacheMetrics(map, this.tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        cacheMetrics.bindTo(registry);
        FunctionTimer.builder("lattice.map.sets.latency", map,
                        m -> (long) read(m, LocalMapStats::getSetOperationCount),
                        m -> read(m, LocalMapStats::getTotalSetLatency), TimeUnit.MILLISECONDS)
                .description("Set operations on entries this member owns (set writes without returning the old value)")
                .tags(tags).register(registry);
        counter(registry, "lattice.map.evicted.entries", "Entries evicted from this member because the map reached its size limit",
                "entries", LocalMapStats::getEvictionCount);
        counter(registry, "lattice.map.expired.entries", "Entries removed from this member because their time-to-live "
                + "or max-idle passed", "entries", LocalMapStats::getExpirationCount);
        counter(registry, "lattice.map.events", "Map events this member delivered to listeners: near-cache "
                + "invalidations (a batch counts once per client) and entry events", "events",
                LocalMapStats::getEventOperationCount);
    }

    private void counter(MeterRegistry registry, String name, String description, String unit,
                         ToLongFunction<LocalMapStats> statistic) {
        FunctionCounter.builder(name, map, m -> read(m, statistic))
                .description(description).baseUnit(unit).tags(tags).register(registry);
    }

    private static double read(IMap<?, ?> map, ToLongFunction<LocalMapStats> statistic) {
        try {
            return statistic.applyAsLong(map.getLocalMapStats());
        } catch (HazelcastInstanceNotActiveException | DistributedObjectDestroyedException e) {
            // The member stopped or the map was destroyed between binding and this scrape: unknown,
            // not 0, and no exception, which would fail the whole scrape.
            return Double.NaN;
        }
    }
}
