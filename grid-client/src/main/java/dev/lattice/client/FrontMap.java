package dev.lattice.client;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The near-cache front's map: a {@link ConcurrentHashMap} kept within a maximum size by a CLOCK
 * sweep (second chance), so that a hit is one hash-map read and, at most, one plain write.
 *
 * <p>Why not a Caffeine cache, which the front was until the twenty-third session: its
 * {@code getIfPresent} records every read for its eviction policy, and that was about a third of a
 * front hit (docs/benchmarks.md, near-cache front). The front does not need that policy. Hazelcast's
 * near-cache store behind it keeps its own LRU or LFU order and its own bound, and a key the front
 * drops is still answered by that store, in memory. The front only has to stay bounded and
 * keep the keys that are being read.
 *
 * <p>The bound: {@link #put} sweeps when the map holds more than {@code maximumSize} slots. The sweep
 * walks the map from where the last one stopped, clears each read slot's mark and removes the
 * first slots it finds unmarked, until the map is within the bound again. A put that finds another
 * thread sweeping leaves it to that thread, which checks the size again after it lets go, so
 * concurrent puts go past the bound only while a sweep is running.
 */
final class FrontMap<S extends FrontMap.Slot> {

    /** A value of the map: read since the sweep last passed it, or not. */
    static class Slot {
        /** Written without a barrier: a lost mark costs one slot a second chance, nothing else. */
        private boolean read;

        /** Marks the slot read; writes only when it is not marked, so a hot slot stays a read-only line. */
        final void markRead() {
            if (!read) {
                read = true;
            }
        }

        /** For the sweep: whether the slot was read since the sweep last passed, clearing the mark. */
        private boolean takeMark() {
            if (read) {
                read = false;
                return true;
            }
            return false;
        }
    }

    private final ConcurrentHashMap<Object, S> map = new ConcurrentHashMap<>();
    private final int maximumSize;
    private final ReentrantLock sweeping = new ReentrantLock();
    /** Where the next sweep goes on; guarded by {@link #sweeping}. */
    private Iterator<Map.Entry<Object, S>> hand;

    FrontMap(int maximumSize) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximum size must be at least 1, was " + maximumSize);
        }
        this.maximumSize = maximumSize;
    }

    S get(Object key) {
        return map.get(key);
    }

    void put(Object key, S slot) {
        map.put(key, slot);
        if (map.size() > maximumSize) {
            sweep();
        }
    }

    /** Removes {@code key} only while it maps to this very slot. */
    void remove(Object key, S slot) {
        map.remove(key, slot);
    }

    void remove(Object key) {
        map.remove(key);
    }

    void clear() {
        map.clear();
    }

    int size() {
        return map.size();
    }

    private void sweep() {
        // Lets go before it looks at the size again: a put that found the lock taken came before that
        // look, or finds the lock free itself. A pass that removed nothing ends it (see sweepOnce).
        while (map.size() > maximumSize && sweeping.tryLock()) {
            int removed;
            try {
                removed = sweepOnce();
            } finally {
                sweeping.unlock();
            }
            if (removed == 0) {
                return;
            }
        }
    }

    /** Sweeps until the map is within the bound; returns how many slots it removed. */
    private int sweepOnce() {
        // Each step clears a mark or removes a slot, so two turns clear every mark there was. Hits
        // marking slots again as fast as the sweep clears them could keep it going: it stops there,
        // and the next put sweeps on.
        int removed = 0;
        long steps = 2L * map.size() + 2;
        while (map.size() > maximumSize && steps-- > 0) {
            if (hand == null || !hand.hasNext()) {
                hand = map.entrySet().iterator();
                if (!hand.hasNext()) {
                    break;
                }
            }
            Map.Entry<Object, S> next = hand.next();
            S slot = next.getValue();
            if (!((Slot) slot).takeMark() && map.remove(next.getKey(), slot)) {
                removed++;
            }
        }
        return removed;
    }
}
