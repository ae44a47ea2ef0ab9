package dev.lattice.monitoring.member;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.ReplicaMigrationEvent;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Partition ownership, safety and migrations, as one member sees them.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Base unit</th></tr>
 *   <tr><td>{@code lattice.member.partitions}</td><td>gauge</td><td>partitions</td></tr>
 *   <tr><td>{@code lattice.partitions.state} ({@code state=safe|unsafe})</td><td>gauge, 1 for the current state</td><td>state</td></tr>
 *   <tr><td>{@code lattice.partition.planned.migrations}</td><td>counter</td><td>migrations</td></tr>
 *   <tr><td>{@code lattice.partition.completed.migrations} ({@code outcome=success|failure})</td><td>counter</td><td>migrations</td></tr>
 *   <tr><td>{@code lattice.partition.remaining.migrations}</td><td>gauge</td><td>migrations</td></tr>
 *   <tr><td>{@code lattice.partition.migration.duration}</td><td>timer</td><td>seconds</td></tr>
 * </table>
 *
 * <p><b>Safe</b> is Hazelcast's local check ({@code PartitionService.isLocalMemberSafe()}): every
 * partition this member owns has all its backups in sync and no migration is under way. The
 * cluster is safe when every member reports safe, so {@code isClusterSafe()} (which asks every
 * member, from every member) is not called here: one check per member per scrape is enough.
 * The check may send a replica-version request per owned partition, so a scrape can take a
 * little longer while the cluster is unsafe.
 *
 * <p><b>Migrations</b> come from a {@link MigrationListener}. The oldest member plans and runs
 * every migration and tells every registered listener, so every member reports the same
 * cluster-wide numbers: take the {@code max} over members, never the sum. A migration process is
 * a group of replica migrations planned together after a member joined or left; its duration
 * is measured from the start event to the finish event as this member received them. When the
 * coordinating member crashes mid-process no finish event comes; the next process (the new
 * coordinator always plans one) resets {@code remaining}.
 *
 * <p>Call {@link #close()} to remove the listener.
 */
public final class PartitionMetrics implements MeterBinder, AutoCloseable {

    private static final String MIGRATIONS = "migrations";
    private static final long SAFE_CHECK_REUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final HazelcastInstance member;
    private final Tags tags;
    private final AtomicLong planned = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong remaining = new AtomicLong();
    private final List<Timer> durations = new CopyOnWriteArrayList<>();
    private volatile long processStartNanos;
    private volatile boolean lastSafe;
    private volatile long safeCheckedNanos = System.nanoTime() - 2 * SAFE_CHECK_REUSE_NANOS;
    private UUID registration;

    /**
     * @param member a running member (not a client)
     * @param tags   extra tags for every meter
     */
    public PartitionMetrics(HazelcastInstance member, Iterable<Tag> tags) {
        this.member = Objects.requireNonNull(member, "member");
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        listen();
        Gauge.builder("lattice.member.partitions", member, m -> running(m) ? ownedPartitions(m) : Double.NaN)
                .description("Partitions whose primary replica this member holds")
                .baseUnit("partitions").tags(tags).register(registry);
        safety(registry, "safe", true);
        safety(registry, "unsafe", false);
        FunctionCounter.builder("lattice.partition.planned.migrations", planned, AtomicLong::get)
                .description("Partition replica migrations the cluster planned, summed over migration processes")
                .baseUnit(MIGRATIONS).tags(tags).register(registry);
        FunctionCounter.builder("lattice.partition.completed.migrations", succeeded, AtomicLong::get)
                .description("Partition replica migrations that finished")
                .baseUnit(MIGRATIONS).tags(tags.and("outcome", "success")).register(registry);
        FunctionCounter.builder("lattice.partition.completed.migrations", failed, AtomicLong::get)
                .description("Partition replica migrations that finished")
                .baseUnit(MIGRATIONS).tags(tags.and("outcome", "failure")).register(registry);
        Gauge.builder("lattice.partition.remaining.migrations", remaining, AtomicLong::get)
                .description("Replica migrations of the current migration process not yet done; 0 when none runs")
                .baseUnit(MIGRATIONS).tags(tags).register(registry);
        durations.add(Timer.builder("lattice.partition.migration.duration")
                .description("How long migration processes took, from planned to finished")
                .tags(tags).register(registry));
    }

    private void safety(MeterRegistry registry, String state, boolean safe) {
        Gauge.builder("lattice.partitions.state", member,
                        m -> running(m) ? (isSafe(m) == safe ? 1 : 0) : Double.NaN)
                .description("1 for this member's partition state: safe when every partition it owns has its "
                        + "backups in sync and nothing migrates, else unsafe")
                .baseUnit("state").tags(tags.and("state", state)).register(registry);
    }

    /** One safety check serves both gauges of a scrape (the check may ask other members). */
    private boolean isSafe(HazelcastInstance m) {
        long now = System.nanoTime();
        if (now - safeCheckedNanos > SAFE_CHECK_REUSE_NANOS) {
            lastSafe = m.getPartitionService().isLocalMemberSafe();
            safeCheckedNanos = System.nanoTime();
        }
        return lastSafe;
    }

    private synchronized void listen() {
        if (registration == null) {
            registration = member.getPartitionService().addMigrationListener(new Listener());
        }
    }

    private static boolean running(HazelcastInstance member) {
        return member.getLifecycleService().isRunning();
    }

    private static long ownedPartitions(HazelcastInstance member) {
        Member local = member.getCluster().getLocalMember();
        long owned = 0;
        for (Partition partition : member.getPartitionService().getPartitions()) {
            if (local.equals(partition.getOwner())) {
                owned++;
            }
        }
        return owned;
    }

    /** Removes the migration listener; the meters stay registered and stop moving. */
    @Override
    public synchronized void close() {
        if (registration != null && running(member)) {
            member.getPartitionService().removeMigrationListener(registration);
        }
        registration = null;
    }

    /** Events arrive in order on one event thread, so plain updates are enough. */
    private final class Listener implements MigrationListener {

        @Override
        public void migrationStarted(MigrationState state) {
            processStartNanos = System.nanoTime();
            planned.addAndGet(state.getPlannedMigrations());
            remaining.set(state.getRemainingMigrations());
        }

        @Override
        public void migrationFinished(MigrationState state) {
            remaining.set(0);
            long started = processStartNanos;
            if (started != 0) {
                long elapsed = System.nanoTime() - started;
                durations.forEach(timer -> timer.record(elapsed, TimeUnit.NANOSECONDS));
                processStartNanos = 0;
            }
        }

        @Override
        public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
            succeeded.incrementAndGet();
            remaining.set(event.getMigrationState().getRemainingMigrations());
        }

        @Override
        public void replicaMigrationFailed(ReplicaMigrationEvent event) {
            failed.incrementAndGet();
            remaining.set(event.getMigrationState().getRemainingMigrations());
        }
    }
}
