package dev.lattice.cacheloader.writebehind;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Exponential backoff shared by all partitions of one map while its database is failing.
 * Hazelcast retries a failed write-behind batch every second and then entry by entry; without
 * this every one of those calls would wait for a connection timeout. During the pause, writes fail
 * at once, and the entries stay queued.
 */
final class RetryBackoff {

    private static final long INITIAL_NANOS = Duration.ofMillis(100).toNanos();

    private final long maxNanos;
    private final AtomicReference<Pause> pause = new AtomicReference<>();

    private static final class Pause {
        final long delayNanos;
        final long until;

        Pause(long delayNanos, long until) {
            this.delayNanos = delayNanos;
            this.until = until;
        }
    }

    RetryBackoff(Duration max) {
        this.maxNanos = max.toNanos();
    }

    /** Nanoseconds until the next attempt is allowed; 0 when it is allowed now. */
    long remainingNanos() {
        Pause p = pause.get();
        return p == null ? 0 : Math.max(0, p.until - System.nanoTime());
    }

    void failed() {
        pause.updateAndGet(p -> {
            long delay = p == null ? INITIAL_NANOS : Math.min(maxNanos, p.delayNanos * 2);
            return new Pause(delay, System.nanoTime() + delay);
        });
    }

    void succeeded() {
        if (pause.get() != null) {
            pause.set(null);
        }
    }
}
