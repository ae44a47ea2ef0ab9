package dev.lattice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Drives one operation from many threads for a warm-up and then a fixed measured window, recording
 * every measured operation's latency in an HdrHistogram (one per thread, merged at the end).
 *
 * <p>Closed loop: each thread starts its next operation when the previous one returns, so the rate
 * is what the system sustains at that concurrency. Fixed rate: operations are scheduled at a
 * constant rate and each latency is measured from its <em>intended</em> start, so a stall also
 * counts against every operation that should have started during it (coordinated omission
 * corrected, as in wrk2 and HdrHistogram's own guidance).
 */
final class LoadGenerator {

    /** One call against the system under test; a failure aborts the run. */
    @FunctionalInterface
    interface Operation {
        void run() throws Exception;
    }

    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Duration warmup;
    private final Duration duration;

    LoadGenerator(Duration warmup, Duration duration) {
        this.warmup = warmup;
        this.duration = duration;
    }

    Result closedLoop(int threads, Operation operation) {
        return run(threads, (thread, window, histogram) -> {
            while (true) {
                long start = System.nanoTime();
                if (start - window.end >= 0) {
                    return;
                }
                operation.run();
                long end = System.nanoTime();
                if (start - window.measureFrom >= 0) {
                    histogram.recordValue(Math.min(end - start, HIGHEST_TRACKABLE_NANOS));
                }
            }
        });
    }

    Result fixedRate(int threads, int perSecond, Operation operation) {
        long interval = Math.max(1, TimeUnit.SECONDS.toNanos(1) * threads / perSecond);
        return run(threads, (thread, window, histogram) -> {
            long intended = window.start + thread * (interval / threads);
            while (intended - window.end < 0) {
                long now = System.nanoTime();
                if (now - window.end >= 0) {
                    return; // so far behind that the window is over: the achieved rate shows it
                }
                if (intended - now > 0) {
                    LockSupport.parkNanos(intended - now);
                    continue;
                }
                operation.run();
                if (intended - window.measureFrom >= 0) {
                    histogram.recordValue(Math.min(System.nanoTime() - intended, HIGHEST_TRACKABLE_NANOS));
                }
                intended += interval;
            }
        });
    }

    private record Window(long start, long measureFrom, long end) {
    }

    @FunctionalInterface
    private interface Worker {
        void work(int thread, Window window, Histogram histogram) throws Exception;
    }

    private Result run(int threads, Worker worker) {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        Window window = new Window(start, start + warmup.toNanos(), start + warmup.toNanos() + duration.toNanos());
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < threads; i++) {
            Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
            histograms.add(histogram);
            int thread = i;
            Thread t = new Thread(() -> {
                try {
                    worker.work(thread, window, histogram);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-" + i);
            t.start();
            workers.add(t);
        }
        for (Thread thread : workers) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring", e);
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("an operation failed: " + failure.get(), failure.get());
        }
        Histogram total = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        histograms.forEach(total::add);
        return Result.of(total, duration.toNanos() / 1e9);
    }
}
