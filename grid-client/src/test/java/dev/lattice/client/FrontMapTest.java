package dev.lattice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The near-cache front's bounded map on its own; {@code NearCacheFrontTest} covers it inside the front. */
class FrontMapTest {

    private static final class Slot extends FrontMap.Slot {
    }

    @Test
    void staysWithinItsMaximumSize_afterEveryPut() {
        FrontMap<Slot> map = new FrontMap<>(50);
        for (int key = 0; key < 1_000; key++) {
            map.put(key, new Slot());
            assertThat(map.size()).as("size after putting key %d", key).isLessThanOrEqualTo(50);
        }
        assertThat(map.size()).isEqualTo(50);
    }

    @Test
    void keepsSlotsReadSinceTheSweepLastPassed_overSlotsNotRead() {
        FrontMap<Slot> map = new FrontMap<>(10);
        List<Slot> slots = new ArrayList<>();
        for (int key = 0; key < 10; key++) {
            slots.add(new Slot());
            map.put(key, slots.get(key));
        }
        for (int key = 0; key < 5; key++) {
            slots.get(key).markRead();
        }
        for (int key = 10; key < 15; key++) {
            map.put(key, new Slot());
        }

        for (int key = 0; key < 5; key++) {
            assertThat(map.get(key)).as("key %d, read", key).isSameAs(slots.get(key));
        }
        assertThat(map.size()).isEqualTo(10);
    }

    @Test
    void readSlotsGetOneSecondChance_notMore() {
        FrontMap<Slot> map = new FrontMap<>(10);
        for (int key = 0; key < 10; key++) {
            Slot slot = new Slot();
            map.put(key, slot);
            slot.markRead();
        }
        // Not read again: after the sweep has cleared their marks, new keys push them out.
        for (int key = 10; key < 30; key++) {
            map.put(key, new Slot());
        }
        for (int key = 0; key < 10; key++) {
            assertThat(map.get(key)).as("key %d", key).isNull();
        }
    }

    @Test
    void removesOnlyTheSlotItIsGiven() {
        FrontMap<Slot> map = new FrontMap<>(10);
        Slot first = new Slot();
        Slot second = new Slot();
        map.put("k", first);
        map.put("k", second);

        map.remove("k", first);

        assertThat(map.get("k")).isSameAs(second);
    }

    @Test
    void concurrentPuts_endWithinTheBound() throws Exception {
        FrontMap<Slot> map = new FrontMap<>(100);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 1_000_000;
                running.add(pool.submit(() -> {
                    start.await();
                    for (int key = offset; key < offset + 20_000; key++) {
                        map.put(key, new Slot());
                        // Readers marking slots while others sweep.
                        Slot read = map.get(key - 50);
                        if (read != null) {
                            read.markRead();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : running) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(map.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void aMaximumSizeBelowOne_isRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new FrontMap<>(0))
                .withMessage("maximum size must be at least 1, was 0");
    }
}
