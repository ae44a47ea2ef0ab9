package dev.lattice.cacheloader.writebehind;

import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per member that notices {@code IMap.flush()} calls on every write-behind map of the
 * member and wakes that map's drainer, instead of the flush waiting for the drainer's next tick
 * (up to 250 ms).
 *
 * <p>Hazelcast gives no callback for a flush: it only marks the partitions' queues, so the marks
 * are polled, by one thread per member rather than one per map. The wake-ups are the cost: on the
 * 2-core machine of docs/benchmarks.md a thread woken every 20 ms by a scheduled executor, doing
 * nothing, used 0.5 % of a core. Every 50 ms, a flush waits 25 ms on average for its first batch
 * instead of 125 ms.
 */
final class FlushWatch {

    private static final Logger log = LoggerFactory.getLogger(FlushWatch.class);

    /** How often the flush marks are looked at. */
    private static final long POLL_MILLIS = 50;

    /** Where a member keeps its watch: Hazelcast's per-instance user context. */
    private static final String CONTEXT_KEY = FlushWatch.class.getName();
    /** Starting and stopping watches: rare (a map's store starting or closing), so one lock for all members. */
    private static final Object LOCK = new Object();

    private final List<WriteBehindDrainer> drainers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;

    private FlushWatch(String memberName) {
        poller = Executors.newSingleThreadScheduledExecutor(WriteBehindDrainer.daemon("lattice-flush-watch-" + memberName));
        poller.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Watches {@code drainer}'s map on {@code instance}, starting the member's watch if it has none. */
    static void watch(HazelcastInstance instance, WriteBehindDrainer drainer) {
        synchronized (LOCK) {
            FlushWatch watch = (FlushWatch) instance.getUserContext().computeIfAbsent(CONTEXT_KEY, key -> new FlushWatch(instance.getName()));
            watch.drainers.add(drainer);
        }
    }

    /** Stops watching {@code drainer}'s map; the member's last one stops the watch's thread. */
    static void unwatch(HazelcastInstance instance, WriteBehindDrainer drainer) {
        synchronized (LOCK) {
            FlushWatch watch = (FlushWatch) instance.getUserContext().get(CONTEXT_KEY);
            if (watch != null && watch.drainers.remove(drainer) && watch.drainers.isEmpty()) {
                instance.getUserContext().remove(CONTEXT_KEY, watch);
                watch.poller.shutdownNow();
            }
        }
    }

    private void poll() {
        for (WriteBehindDrainer drainer : drainers) {
            try {
                drainer.wakeOnNewFlush();
            } catch (RuntimeException e) {
                // A scheduled task that throws is never run again; this drainer's tick still serves it.
                log.warn("looking for flushes of a write-behind map failed; its next tick serves them", e);
            }
        }
    }
}
