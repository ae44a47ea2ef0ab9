package dev.lattice.cacheloader.writebehind;

import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore;
import com.hazelcast.map.impl.mapstore.writebehind.entry.DelayedEntry;
import dev.lattice.cacheloader.jdbc.TableWriter;
import dev.lattice.cacheloader.jdbc.TableWriter.Result;
import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores one map's write-behind queue on this member, in place of Hazelcast's own worker.
 *
 * <p>Hazelcast keeps the queues: replicated to the backups with every write, moved with their
 * partitions, coalesced per key. Lattice drains them, because Hazelcast's worker falls short where
 * data safety is decided: after a failed batch it sleeps a second per retry and then retries entry
 * by entry (a 500-entry batch against a dead database holds its thread for 25 minutes), and its
 * backups drop their copies on a timer rather than when the owner has stored them. This drainer
 * takes due entries from the partitions this member owns, writes them in parallel batches through
 * the {@link TableWriter} (fenced, so a stale owner never writes), and removes an entry from the
 * queue only after its transaction committed; a failed entry simply stays where it is. The
 * backups' copies are removed by {@link BackupSweeper} once the owner no longer holds the write.
 */
final class WriteBehindDrainer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriteBehindDrainer.class);

    /** Entries taken from the queues per round, so a huge backlog is worked through in slices. */
    private static final int MAX_ENTRIES_PER_ROUND = 50_000;

    private final HazelcastMember member;
    private final WriteBehindSettings settings;
    private final TableWriter writer;
    private final QueueOutcomes outcomes;
    private final WriteBehindState state;
    private final BooleanSupplier ready;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private volatile boolean waitingLogged;
    /** Held from collecting a slice to writing it: {@link #betweenRounds} runs when no slice is in flight. */
    private final ReentrantLock roundWriting = new ReentrantLock();
    /** Set by {@link #close}: batches not yet started stay queued for Hazelcast's flush. */
    private volatile boolean closing;
    /** The flushes {@link #wakeOnNewFlush} saw last; only the {@link FlushWatch}'s thread uses it. */
    private long flushesSeen;
    /**
     * The partitions' write-behind stores as of the last round ({@link #notifyFlushes}), for
     * {@link #wakeOnNewFlush}: looking each one up on every poll would cost more than the poll. A store
     * created since is looked at from the next round on.
     */
    private volatile WriteBehindStore[] stores = new WriteBehindStore[0];

    WriteBehindDrainer(HazelcastMember member, WriteBehindSettings settings, TableWriter writer, QueueOutcomes outcomes,
                       WriteBehindState state, BooleanSupplier ready) {
        this.ready = ready;
        this.member = member;
        this.settings = settings;
        this.writer = writer;
        this.outcomes = outcomes;
        this.state = state;
        String name = "lattice-write-behind-" + member.mapName();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon(name));
        this.workers = Executors.newFixedThreadPool(settings.parallelism(), daemon(name + "-writer"));
    }

    void start() {
        long tick = settings.tick().toMillis();
        scheduler.scheduleWithFixedDelay(this::round, tick, tick, TimeUnit.MILLISECONDS);
        FlushWatch.watch(member.instance(), this);
    }

    /**
     * Runs a round now if an {@code IMap.flush()} was asked for since the last look: its caller waits
     * for the drainer, and waiting out the tick (up to 250 ms) was most of a small flush. Only a flush
     * not seen before wakes the drainer, so a flush whose entries can not be written yet (the database
     * down, writes waiting for the minimum cluster size) is retried at the tick, not at every look.
     */
    void wakeOnNewFlush() {
        if (closing || !member.running()) {
            return;
        }
        long flushes = flushesRequested();
        boolean newFlush = flushes != flushesSeen;
        flushesSeen = flushes;
        if (newFlush && flushes != 0) {
            try {
                scheduler.execute(this::round);
            } catch (RejectedExecutionException closedMeanwhile) {
                // close() ran between the check above and here: the shutdown flush takes the entries.
            }
        }
    }

    /** The flushes waiting on the partitions this member owns, summed up: it changes when one is asked for. */
    private long flushesRequested() {
        long sum = 0;
        WriteBehindStore[] known = stores;
        for (int p = 0; p < known.length; p++) {
            WriteBehindStore store = known[p];
            if (store != null && !store.getFlushSequences().isEmpty() && member.owns(p)) {
                sum += store.getSequenceToFlush();
            }
        }
        return sum;
    }

    /** Stops draining (the member is shutting down: Hazelcast's flush takes what is left) and waits for the round in flight. */
    @Override
    public void close() {
        closing = true;
        FlushWatch.unwatch(member.instance(), this);
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("map '{}': write-behind round still running after 30 s; stopping it", member.mapName());
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }

    private void round() {
        try {
            if (!member.running()) {
                return;
            }
            member.stopHazelcastStoreWorker();
            boolean full;
            do {
                List<DelayedEntry> due;
                boolean writing;
                // Collect and write under one hold: a write from outside the drainer between the two
                // could store a newer value that this slice's older copy would then overwrite.
                roundWriting.lock();
                try {
                    due = collect();
                    state.observe(member);
                    writing = !due.isEmpty() && mayWrite();
                    if (writing) {
                        write(due);
                    }
                } finally {
                    roundWriting.unlock();
                }
                notifyFlushes();
                // A full slice means a backlog (a flush, a burst, a database that was down): work
                // through it without waiting a tick between slices, as long as the database takes it.
                full = writing && due.size() >= MAX_ENTRIES_PER_ROUND && state.backoffRemainingNanos() <= 0;
            } while (full && member.running() && !closing);
        } catch (RuntimeException | Error e) {
            // A scheduled task that throws is never run again: log and keep draining.
            log.error("map '{}': write-behind round failed; retrying next round", member.mapName(), e);
        }
    }

    /**
     * Runs {@code action} while no batch of this drainer is being written, waiting up to {@code wait}
     * for the round in flight; false if it did not get its turn.
     */
    boolean betweenRounds(Runnable action, Duration wait) {
        try {
            if (!roundWriting.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            action.run();
            return true;
        } finally {
            roundWriting.unlock();
        }
    }

    private boolean mayWrite() {
        return state.backoffRemainingNanos() <= 0 && ready.getAsBoolean();
    }

    /** Due entries of the partitions this member owns: older than the write delay, or covered by a flush. */
    private List<DelayedEntry> collect() {
        long cutoff = System.currentTimeMillis() - settings.writeDelay().toMillis();
        List<DelayedEntry> due = new ArrayList<>();
        for (int p = 0; p < member.partitionCount() && due.size() < MAX_ENTRIES_PER_ROUND; p++) {
            if (!member.owns(p)) {
                continue;
            }
            WriteBehindStore store = member.store(p);
            if (store == null || HazelcastMember.queue(store).size() == 0) {
                continue;
            }
            long flushSequence = store.getSequenceToFlush();
            int limit = MAX_ENTRIES_PER_ROUND - due.size();
            int[] taken = {0};
            // Queue order is write order, so the first entry that is not due ends the scan.
            HazelcastMember.queue(store).filter(e -> taken[0]++ < limit
                    && (flushSequence > 0 && e.getSequence() <= flushSequence || e.getStoreTime() <= cutoff), due);
        }
        return due;
    }

    /**
     * Writes the round's chains in parallel. The first database failure ends the round: every
     * later batch would wait out its own connection timeout against the same dead database, and a
     * round of hundreds of batches then held a stopping member past its grace period.
     */
    private void write(List<DelayedEntry> due) {
        List<List<DelayedEntry>> chains = Batches.chains(due, settings.batchSize(), settings.coalescing());
        List<CompletableFuture<Void>> running = new ArrayList<>(chains.size());
        AtomicBoolean databaseFailed = new AtomicBoolean();
        for (List<DelayedEntry> chain : chains) {
            running.add(CompletableFuture.runAsync(() -> writeChain(chain, databaseFailed), workers));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Writes one batch, or for maps without coalescing one partition's batches in order, stopping at
     * the first batch that did not fully land: a later write of the same key must not overtake it.
     */
    private void writeChain(List<DelayedEntry> chain, AtomicBoolean databaseFailed) {
        for (List<DelayedEntry> batch : Batches.ofChain(chain, settings.batchSize(), settings.coalescing())) {
            if (databaseFailed.get() || closing) {
                return;
            }
            List<Write> writes = new ArrayList<>(batch.size());
            for (DelayedEntry entry : batch) {
                writes.add(outcomes.toWrite(entry));
            }
            Result result = writer.write(writes, member);
            logWaiting(result.count(TableWriter.Outcome.WAITING));
            boolean complete = outcomes.settle(writes, result, settings.coalescing());
            if (result.databaseFailure() != null) {
                databaseFailed.set(true);
                state.databaseFailed(result.databaseFailure());
                return;
            }
            state.databaseSucceeded();
            if (!complete) {
                return;
            }
        }
    }

    private void logWaiting(int waiting) {
        if (waiting == 0) {
            waitingLogged = false;
        } else if (!waitingLogged) {
            waitingLogged = true;
            log.warn("map '{}': this member lists {} member(s) and has heard lately from {} the {} required to take over"
                    + " partitions (split-brain protection): {} write(s) of partitions it took over wait", member.mapName(),
                    member.clusterSize(), member.hearsMinimum() ? "at least" : "fewer than", settings.minimumClusterSize(), waiting);
        }
    }

    /** Also keeps the stores it finds for {@link #wakeOnNewFlush}, which would otherwise look each one up again. */
    private void notifyFlushes() {
        WriteBehindStore[] found = new WriteBehindStore[member.partitionCount()];
        for (int p = 0; p < found.length; p++) {
            found[p] = member.store(p);
            if (found[p] != null) {
                // Answers IMap.flush() callers once their entries are gone; Hazelcast's worker did this.
                found[p].notifyFlush();
            }
        }
        stores = found;
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        int[] count = {0};
        return runnable -> {
            Thread thread = new Thread(runnable, name + (count[0]++ == 0 ? "" : "-" + count[0]));
            thread.setDaemon(true);
            return thread;
        };
    }
}
