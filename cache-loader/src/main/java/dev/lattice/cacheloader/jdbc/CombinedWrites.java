package dev.lattice.cacheloader.jdbc;

import dev.lattice.cacheloader.jdbc.TableWriter.Result;
import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Write-through stores of concurrent callers, combined into shared transactions (a group commit).
 *
 * <p>Hazelcast stores a write-through entry by entry, a {@code putAll} included, from the threads
 * of its offload executor, each waiting for its own commit: one transaction per row. Here a caller
 * queues its writes; at most {@code writers} callers at a time take what is queued (up to
 * {@code maxRows} rows of distinct keys, oldest first, none of a key another caller is writing),
 * write it as one fenced batch through {@link TableWriter} and hand every caller its own outcomes.
 * A caller that finds every writer busy waits for one of them to take its writes; no caller
 * returns before its own rows committed. Alone, a caller writes its row in one statement, as before.
 * An all-or-nothing caller (a write-through {@code putAll}'s partition) is never combined with
 * others, but counts against the same {@code writers}: Hazelcast's sixteen map-store threads must
 * not ask the pool for more connections than it has.
 */
public final class CombinedWrites {

    /** A waiting caller looks again this often, should a hand-over be missed. */
    private static final long RECHECK_MILLIS = 50;

    private final TableWriter writer;
    private final int maxRows;
    private final Semaphore writers;
    private final ReentrantLock taking = new ReentrantLock();
    /** Guarded by {@link #taking}. */
    private final Deque<Request> pending = new ArrayDeque<>();
    /** Keys of the batches being written; guarded by {@link #taking}. */
    private final Set<Object> inFlight = new HashSet<>();

    public CombinedWrites(TableWriter writer, int writers, int maxRows) {
        if (writers < 1 || maxRows < 1) {
            throw new IllegalArgumentException("writers and maxRows must be positive; were " + writers + " and " + maxRows);
        }
        this.writer = writer;
        this.writers = new Semaphore(writers);
        this.maxRows = maxRows;
    }

    /** One caller's writes; {@code taken} once a writer took them (then the caller only waits). */
    private static final class Request {
        final List<Write> writes;
        final Ownership view;
        /** Written alone, whole or not at all ({@link TableWriter#writeAllOrNothing}). */
        final boolean allOrNothing;
        final CompletableFuture<Result> done = new CompletableFuture<>();
        volatile boolean taken;

        Request(List<Write> writes, Ownership view, boolean allOrNothing) {
            this.writes = writes;
            this.view = view;
            this.allOrNothing = allOrNothing;
        }
    }

    /** Writes {@code writes} (distinct keys), possibly in one transaction with other callers' writes. */
    public Result write(List<Write> writes, Ownership view) {
        return write(new Request(writes, view, false));
    }

    /**
     * Writes {@code writes} (distinct keys) in a transaction of their own, whole or not at all
     * ({@link TableWriter#writeAllOrNothing}), as one of the at most {@code writers} transactions at once.
     */
    public Result writeAllOrNothing(List<Write> writes, Ownership view) {
        return write(new Request(writes, view, true));
    }

    private Result write(Request request) {
        taking.lock();
        try {
            pending.addLast(request);
        } finally {
            taking.unlock();
        }
        boolean interrupted = false;
        while (!request.done.isDone()) {
            // Not taken and nothing written (every writer busy, or the oldest writes wait for a key
            // being written): the writer that finishes next hands the queue over, so wait for that.
            if (request.taken || !writeOneBatchIfFree()) {
                interrupted |= awaitQuietly(request.done);
            }
        }
        handOver();
        try {
            return join(request.done);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Whoever wrote a batch writes one more if writes are queued and a writer is free: a caller that
     * waited while every writer was busy is then taken by the next of them to finish.
     */
    private void handOver() {
        if (hasPending()) {
            writeOneBatchIfFree();
        }
    }

    /** One batch if a writer is free; false if none was written. */
    private boolean writeOneBatchIfFree() {
        if (!writers.tryAcquire()) {
            return false;
        }
        try {
            return writeOneBatch();
        } finally {
            writers.release();
        }
    }

    private boolean hasPending() {
        taking.lock();
        try {
            return !pending.isEmpty();
        } finally {
            taking.unlock();
        }
    }

    /** False if nothing could be taken (the oldest queued writes wait for a key being written). */
    private boolean writeOneBatch() {
        List<Request> taken = take();
        if (taken.isEmpty()) {
            return false;
        }
        List<Write> combined = new ArrayList<>();
        taken.forEach(r -> combined.addAll(r.writes));
        try {
            Ownership view = taken.get(0).view;
            Result result = taken.get(0).allOrNothing ? writer.writeAllOrNothing(combined, view)
                    : combined.size() == 1 ? writer.writeEach(combined, view) : writer.write(combined, view);
            int from = 0;
            for (Request r : taken) {
                r.done.complete(result.slice(from, r.writes.size()));
                from += r.writes.size();
            }
        } catch (RuntimeException | Error e) {
            taken.forEach(r -> r.done.completeExceptionally(e));
        } finally {
            taking.lock();
            try {
                combined.forEach(w -> inFlight.remove(w.key()));
            } finally {
                taking.unlock();
            }
        }
        return true;
    }

    private List<Request> take() {
        List<Request> taken = new ArrayList<>();
        Set<Object> keys = new HashSet<>();
        int rows = 0;
        taking.lock();
        try {
            for (Request next = pending.peekFirst(); next != null; next = pending.peekFirst()) {
                boolean clash = next.writes.stream().anyMatch(w -> keys.contains(w.key()) || inFlight.contains(w.key()));
                boolean alone = next.allOrNothing || (!taken.isEmpty() && taken.get(0).allOrNothing);
                if (clash || (!taken.isEmpty() && (alone || rows + next.writes.size() > maxRows))) {
                    break;
                }
                pending.pollFirst();
                next.taken = true;
                taken.add(next);
                rows += next.writes.size();
                next.writes.forEach(w -> keys.add(w.key()));
            }
            inFlight.addAll(keys);
        } finally {
            taking.unlock();
        }
        return taken;
    }

    /** Waits a little for {@code done}; true if the thread was interrupted (the flag is cleared, to be set again later). */
    private static boolean awaitQuietly(CompletableFuture<Result> done) {
        try {
            done.get(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
            return false;
        } catch (InterruptedException e) {
            // A caller's rows may be in a transaction already: it keeps waiting for the outcome.
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private static Result join(CompletableFuture<Result> done) {
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a combined write", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
