package dev.lattice.cacheloader.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The meters of one map's store, all tagged {@code map=<name>}. Names and tags are part of the
 * public contract (dashboards and alerts use them) and are listed in the module README.
 */
public final class MapStoreMetrics implements AutoCloseable {

    /** Timer per database call, tags {@code map}, {@code operation} (store, load, delete), {@code outcome} (success, failure). */
    public static final String OPERATIONS = "lattice.mapstore.operations";
    /** Counter of entries written, read or deleted, tags {@code map}, {@code operation}. */
    public static final String ENTRIES = "lattice.mapstore.entries";
    /** Distribution of entries per successful database call, tags {@code map}, {@code operation}. */
    public static final String BATCH_SIZE = "lattice.mapstore.batch.size";
    /** Gauge of entries this member has queued but not yet stored (write-behind only), tag {@code map}. */
    public static final String BACKLOG = "lattice.mapstore.write.behind.backlog";
    /** Gauge of seconds since the oldest write queued on this member (as owner) was made, 0 when none, tag {@code map}. */
    public static final String OLDEST_AGE = "lattice.mapstore.write.behind.oldest.age";
    /** Gauge of queued writes this member holds as a backup, kept until their owner has stored them, tag {@code map}. */
    public static final String BACKUP_BACKLOG = "lattice.mapstore.write.behind.backup.backlog";
    /** Counter of partitions this member found owned by another member when it wanted to write them, tag {@code map}. */
    public static final String FENCED = "lattice.mapstore.fenced";
    /** Counter of writes saved to the node's disk at shutdown because the database was unreachable, tag {@code map}. */
    public static final String SPOOLED = "lattice.mapstore.spooled";
    /** Counter of write rounds that failed because of the database and were left queued for later, tag {@code map}. */
    public static final String RETRIES = "lattice.mapstore.retries";
    /** Counter of entries moved to the dead-letter table, tag {@code map}. */
    public static final String DEAD_LETTERS = "lattice.mapstore.dead.letters";
    /** Counter of failed database calls, tags {@code map}, {@code kind} (entry_rejected, database_failed). */
    public static final String DATABASE_ERRORS = "lattice.mapstore.database.errors";

    /** What a timed call did. */
    public enum Operation {
        STORE, LOAD, DELETE;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final String map;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    public MapStoreMetrics(MeterRegistry registry, String map) {
        this.registry = registry;
        this.map = map;
        // Counted events are rare; registered at 0 up front, so Prometheus' increase() sees the first one.
        retries();
        deadLetters();
        databaseErrors("entry_rejected");
        databaseErrors("database_failed");
        fencedCounter();
        spooledCounter();
    }

    /** Records one database call of {@code entries} entries that took {@code nanos}. */
    public void record(Operation operation, long nanos, int entries, boolean success) {
        track(Timer.builder(OPERATIONS).description("Database calls made by the map store")
                .tags("map", map, "operation", operation.tag(), "outcome", success ? "success" : "failure")
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (success) {
            track(Counter.builder(ENTRIES).description("Entries written, read or deleted").baseUnit("entries")
                    .tags("map", map, "operation", operation.tag()).register(registry)).increment(entries);
            track(DistributionSummary.builder(BATCH_SIZE).description("Entries per database call").baseUnit("entries")
                    .tags("map", map, "operation", operation.tag()).register(registry)).record(entries);
        }
    }

    public void retried() {
        retries().increment();
    }

    private Counter retries() {
        return track(Counter.builder(RETRIES).description("Write rounds that failed because of the database and stay queued")
                .tag("map", map).register(registry));
    }

    public void deadLettered() {
        deadLetters().increment();
    }

    private Counter deadLetters() {
        return track(Counter.builder(DEAD_LETTERS).description("Entries moved to the dead-letter table").baseUnit("entries")
                .tag("map", map).register(registry));
    }

    /** {@code kind} is {@code entry_rejected} or {@code database_failed}. */
    public void databaseError(String kind) {
        databaseErrors(kind).increment();
    }

    private Counter databaseErrors(String kind) {
        return track(Counter.builder(DATABASE_ERRORS).description("Failed database calls").tags("map", map, "kind", kind)
                .register(registry));
    }

    /** Publishes the write-behind gauges; the suppliers are read at each scrape. */
    public void bindWriteBehind(Supplier<Number> backlog, Supplier<Number> oldestAgeSeconds, Supplier<Number> backupBacklog) {
        track(Gauge.builder(BACKLOG, backlog).description("Writes queued on this member as owner and not yet stored")
                .baseUnit("entries").tag("map", map).strongReference(true).register(registry));
        track(Gauge.builder(OLDEST_AGE, oldestAgeSeconds).description("Age of the oldest write queued on this member as owner")
                .baseUnit("seconds").tag("map", map).strongReference(true).register(registry));
        track(Gauge.builder(BACKUP_BACKLOG, backupBacklog)
                .description("Writes this member holds as a backup until their owner has stored them")
                .baseUnit("entries").tag("map", map).strongReference(true).register(registry));
    }

    public void fenced() {
        fencedCounter().increment();
    }

    private Counter fencedCounter() {
        return track(Counter.builder(FENCED).description("Partitions found owned by another member when this member wanted to write them")
                .baseUnit("partitions").tag("map", map).register(registry));
    }

    public void spooled(int entries) {
        spooledCounter().increment(entries);
    }

    private Counter spooledCounter() {
        return track(Counter.builder(SPOOLED).description("Writes saved to the node's disk at shutdown while the database was unreachable")
                .baseUnit("entries").tag("map", map).register(registry));
    }

    private <M extends Meter> M track(M meter) {
        if (!meters.contains(meter)) {
            meters.add(meter);
        }
        return meter;
    }

    /** Removes this map's meters, e.g. when the map is destroyed. */
    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
