package dev.lattice.cacheloader.writebehind;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindQueue;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore;
import com.hazelcast.map.impl.mapstore.writebehind.entry.DelayedEntry;
import dev.lattice.cacheloader.jdbc.MapTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the backups' copies of queued writes once their owner has stored them, and never
 * before. Every write reaches the owner's queue and, with the write's backup operation, the
 * queue of each backup; Hazelcast used to drop a backup's copy a fixed time after the owner
 * <em>should</em> have stored it, so an owner that was behind (a slow or dead database, a retry
 * pause) took writes only it still held with it when it crashed. Here a backup periodically asks
 * the owner which keys of its older copies still have a write the owner has not stored
 * ({@link PendingWritesOperation}) and removes only the copies of the others. An owner that does
 * not answer, or is not the owner any more, makes the backup keep everything.
 */
final class BackupSweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackupSweeper.class);

    /** Keys asked about per partition per sweep, so a huge backlog costs bounded messages. */
    private static final int MAX_KEYS_PER_REQUEST = 5_000;

    /** Longest pause before asking again about a partition whose owner still held every copy asked about. */
    private static final long MAX_QUIET_MILLIS = 30_000;

    private final HazelcastMember member;
    private final WriteBehindSettings settings;
    private final ScheduledExecutorService scheduler;
    /**
     * Per partition: when to ask next, and the current pause. While the owner stores nothing (its
     * database is down, a backlog of millions of writes), asking every sweep would ship the same
     * keys again and again; the pause doubles up to {@link #MAX_QUIET_MILLIS} and resets as soon as
     * the owner has stored something.
     */
    private final long[] nextAsk;
    private final long[] quiet;

    BackupSweeper(HazelcastMember member, WriteBehindSettings settings) {
        this.member = member;
        this.settings = settings;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                WriteBehindDrainer.daemon("lattice-backup-sweep-" + member.mapName()));
        this.nextAsk = new long[member.partitionCount()];
        this.quiet = new long[member.partitionCount()];
    }

    void start() {
        long interval = settings.sweepInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** One pass over every partition this member backs. */
    void sweep() {
        try {
            if (!member.running()) {
                return;
            }
            List<CompletableFuture<Void>> answers = new ArrayList<>();
            long now = System.currentTimeMillis();
            long cutoff = now - settings.writeDelay().toMillis();
            for (int p = 0; p < member.partitionCount(); p++) {
                WriteBehindStore store = member.store(p);
                if (store == null || HazelcastMember.queue(store).size() == 0 || !member.backs(p) || now < nextAsk[p]) {
                    continue;
                }
                List<DelayedEntry> candidates = candidates(HazelcastMember.queue(store), cutoff);
                if (candidates.isEmpty()) {
                    continue;
                }
                int partition = p;
                answers.add(ask(partition, candidates).thenAccept(stored -> {
                    pace(partition, stored);
                    trim(partition, candidates, stored);
                }));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .get(settings.sweepInterval().toMillis() * 5 + 10_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.debug("map '{}': some owners did not answer the backup sweep in time; their copies stay", member.mapName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            // A scheduled task that throws is never run again.
            log.warn("map '{}': backup sweep failed; copies stay until the next sweep", member.mapName(), e);
        }
    }

    /** Asks again at the next sweep if the owner stored something, else after a growing pause. */
    private void pace(int partition, Set<Data> stored) {
        if (stored != null && !stored.isEmpty()) {
            quiet[partition] = 0;
            nextAsk[partition] = 0;
        } else {
            quiet[partition] = Math.min(MAX_QUIET_MILLIS, Math.max(settings.sweepInterval().toMillis(), quiet[partition] * 2));
            nextAsk[partition] = System.currentTimeMillis() + quiet[partition];
        }
    }

    /** The older copies, which the owner has most likely stored; younger ones are certainly still queued there. */
    private static List<DelayedEntry> candidates(WriteBehindQueue<DelayedEntry> queue, long cutoff) {
        List<DelayedEntry> candidates = new ArrayList<>();
        int[] taken = {0};
        queue.filter(e -> taken[0]++ < MAX_KEYS_PER_REQUEST && e.getStoreTime() <= cutoff, candidates);
        return candidates;
    }

    private CompletableFuture<Set<Data>> ask(int partition, List<DelayedEntry> candidates) {
        List<Data> keys = new ArrayList<>(new LinkedHashSet<>(candidates.stream().map(e -> (Data) e.getKey()).toList()));
        PendingWritesOperation question = new PendingWritesOperation(member.mapName(), keys);
        CompletableFuture<boolean[]> answer = member.nodeEngine().getOperationService()
                .invokeOnPartition(MapService.SERVICE_NAME, question, partition);
        return answer.thenApply(pending -> {
            if (pending == null) {
                return null;
            }
            Set<Data> stored = new HashSet<>();
            for (int i = 0; i < keys.size(); i++) {
                if (!pending[i]) {
                    stored.add(keys.get(i));
                }
            }
            return stored;
        });
    }

    /** Removes the copies of writes the owner no longer holds, if they are still the queued writes for their keys. */
    private void trim(int partition, List<DelayedEntry> candidates, Set<Data> stored) {
        if (stored == null || stored.isEmpty()) {
            return;
        }
        WriteBehindStore store = member.store(partition);
        if (store == null || !member.backs(partition)) {
            return;
        }
        WriteBehindQueue<DelayedEntry> queue = HazelcastMember.queue(store);
        if (settings.coalescing()) {
            List<Object> trimmed = new ArrayList<>();
            for (DelayedEntry copy : candidates) {
                // Removes only if the queued write for the key has this copy's value (or is this copy):
                // the owner has stored that value or a newer one. A newer copy of the key stays.
                if (stored.contains((Data) copy.getKey()) && queue.removeFirstOccurrence(copy)) {
                    HazelcastMember.unstage(store, copy);
                    trimmed.add(MapTable.describeKey(member.toObject(copy.getKey())));
                }
            }
            if (log.isDebugEnabled() && !trimmed.isEmpty()) {
                log.debug("map '{}': partition {}: removed {} backup copies the owner stored: {}", member.mapName(), partition,
                        trimmed.size(), trimmed.stream().limit(30).toList());
            }
            return;
        }
        // Without coalescing the queue only gives up its head, and in order.
        Set<DelayedEntry> asked = Collections.newSetFromMap(new IdentityHashMap<>());
        asked.addAll(candidates);
        synchronized (queue) {
            for (DelayedEntry head = queue.peek(); head != null && asked.contains(head)
                    && stored.contains((Data) head.getKey()); head = queue.peek()) {
                queue.removeFirstOccurrence(head);
                HazelcastMember.unstage(store, head);
            }
        }
    }
}
