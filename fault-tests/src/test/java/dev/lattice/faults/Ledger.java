package dev.lattice.faults;

import com.hazelcast.map.IMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Writers that keep an exact ledger of acknowledged writes. Each writer thread owns a disjoint
 * set of keys, so writes of one key never race and "the last acknowledged value" is well defined.
 * Values are {@code t<thread>-s<sequence>}; a call that fails is repeated with the same value until
 * it is acknowledged (or the writers stop, and then the key is marked uncertain: either value may
 * be the right one), so the ledger never guesses.
 *
 * <p>The writes (seeded) are half {@code put}s, four in ten {@code set}s (with {@link #withPutAlls()}:
 * three in ten {@code put}s, half {@code set}s, two in ten {@code putAll}s) and one in ten {@code delete}s of a key written before (with {@link #withConditionalWrites()}, half of them
 * {@code remove(key, value)} of the last acknowledged value, which must find it, and half the writes
 * of a key without a value {@code putIfAbsent}, which must find none or its own value). A {@code put} answers the key's previous value: that must
 * be the key's last acknowledged value, or nothing after an acknowledged delete (or, when the call is
 * a repeat of one that failed, possibly the value being written). Anything else means the grid
 * answered from a copy without the last acknowledged write, a loss the table check alone would miss
 * once a later write overwrote the key. A {@code put} of a key not in memory also reads the table
 * first, a path {@code set} never takes, and after a delete that read must not find the deleted row.
 * A key whose last acknowledged write is a delete must end without a row.
 */
final class Ledger {

    /** The last acknowledged sequence per key, and keys whose last write may or may not have landed. */
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, Long> uncertain = new ConcurrentHashMap<>();
    /** Keys whose last acknowledged write is a delete, and keys whose last, uncertain, write is one. */
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final Set<String> uncertainDeletes = ConcurrentHashMap.newKeySet();
    /** When each key's last write was acknowledged (wall clock, to compare with the write audit). */
    private final Map<String, Long> acknowledgedAt = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();
    /**
     * Failed calls that read nothing first ({@code set}, {@code delete}, {@code putAll}): a write-behind
     * map takes those while the database is down, where a {@code put} of a key not in memory must read
     * the table for its answer and fails (cache-loader's README, "Database down").
     */
    private final AtomicLong failedBlindWrites = new AtomicLong();
    /** Failed calls per exception type and message, to tell a client-side stall from a member's refusal. */
    private final Map<String, LongAdder> failureCauses = new ConcurrentHashMap<>();
    private final AtomicLong maxCallNanos = new AtomicLong();
    /** Calls (puts, conditional writes) that answered other than the key's last acknowledged value. */
    private final AtomicLong staleReads = new AtomicLong();
    private final List<String> staleReadExamples = Collections.synchronizedList(new ArrayList<>());
    /** The keys of those examples, for the scenario's diagnosis. */
    private final Set<String> staleReadKeys = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private volatile boolean deletes;
    private volatile boolean conditionalWrites;
    private volatile boolean putAlls;

    /**
     * Makes half the deletes {@code remove(key, value)} of the key's last acknowledged value, and half
     * the writes of a key that has no value (never written, or deleted) {@code putIfAbsent}. The
     * repeat of either after an indeterminate failure finds the first attempt's work, so it is
     * accepted as the acknowledgement: one a member confirmed without its backups shows up here as a
     * lost write.
     */
    void withConditionalWrites() {
        conditionalWrites = true;
    }

    /**
     * Makes a fifth of the writes a {@code putAll} of up to 30 of the writer's own keys, all given
     * the write's value; a repeat after a failure sends the same batch again. Fewer {@code put}s and
     * {@code set}s make room for them. (From the seventeenth to the nineteenth session this scenario
     * made no {@code put}s: on a write-through map a {@code put} whose row was stored while its
     * partition moved answered its own value as the old one, seed 23; see {@code FirstStore}.)
     */
    void withPutAlls() {
        putAlls = true;
    }

    /**
     * Starts {@code threads} writers over {@code keys} keys, as fast as the grid acknowledges; without
     * {@code deletes} the writes that would have been deletes are puts.
     */
    void start(IMap<String, String> map, int threadCount, int keys, long seed, boolean deletes) {
        this.deletes = deletes;
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            Random random = new Random(seed * 1_000 + t);
            Thread writer = new Thread(() -> write(map, thread, threadCount, keys, random), "ledger-writer-" + t);
            writer.setDaemon(true);
            threads.add(writer);
            writer.start();
        }
    }

    private void write(IMap<String, String> map, int thread, int threadCount, int keys, Random random) {
        long sequence = 0;
        int owned = keys / threadCount;
        while (!stopping) {
            String key = "k" + (thread + threadCount * random.nextInt(owned));
            String value = "t" + thread + "-s" + ++sequence;
            Long previous = acknowledged.get(key);
            String expectedOld = previous == null || deleted.contains(key) ? null : "t" + thread + "-s" + previous;
            int op = random.nextInt(10);
            boolean delete = deletes && op == 0 && expectedOld != null;
            boolean conditional = delete && conditionalWrites && random.nextBoolean();
            boolean ifAbsent = !delete && expectedOld == null && conditionalWrites && random.nextBoolean();
            boolean put = !delete && op < (putAlls ? 3 : 6);
            if (putAlls && !delete && !ifAbsent && op >= 8) {
                writeAll(map, batchOf(key, thread, threadCount, owned, random), value, sequence);
                continue;
            }
            long started = System.nanoTime();
            boolean missed = false;
            for (boolean repeat = false; ; repeat = true) {
                try {
                    if (conditional) {
                        // A repeat may find the key gone: the attempt that failed as indeterminate removed it.
                        if (!map.remove(key, expectedOld) && !repeat) {
                            staleAnswer(key, "remove(key, value) found another value", expectedOld);
                            missed = true;
                        }
                    } else if (delete) {
                        map.delete(key);
                    } else if (ifAbsent) {
                        // It may find its own value (values are unique): the attempt that failed as
                        // indeterminate put it, and the caller can tell that its write landed.
                        String found = map.putIfAbsent(key, value);
                        if (found != null && !found.equals(value)) {
                            staleAnswer(key, "putIfAbsent found " + found, expectedOld);
                            missed = true;
                        }
                    } else if (put) {
                        checkPrevious(key, map.put(key, value), expectedOld, repeat ? value : expectedOld);
                    } else {
                        map.set(key, value);
                    }
                    break;
                } catch (RuntimeException e) {
                    if (!conditional && !ifAbsent && !put) {
                        failedBlindWrites.incrementAndGet();
                    }
                    if (givesUpAfter(e)) {
                        if (delete) {
                            uncertainDeletes.add(key);
                        } else {
                            uncertain.put(key, sequence);
                        }
                        return;
                    }
                }
            }
            maxCallNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
            if (missed) {
                continue;
            }
            acknowledged.put(key, sequence);
            if (delete) {
                deleted.add(key);
            } else {
                deleted.remove(key);
            }
            acknowledgedAt.put(key, System.currentTimeMillis());
            writes.incrementAndGet();
        }
    }

    /** Counts a failed call; true if the writers are stopping (the call's keys become uncertain), else pauses before the repeat. */
    private boolean givesUpAfter(RuntimeException e) {
        failedCalls.incrementAndGet();
        failureCauses.computeIfAbsent(cause(e), c -> new LongAdder()).increment();
        if (stopping) {
            return true;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        return false;
    }

    /** {@code first} and up to 29 more keys of this writer's own. */
    private static Set<String> batchOf(String first, int thread, int threadCount, int owned, Random random) {
        Set<String> keys = new HashSet<>();
        keys.add(first);
        for (int i = random.nextInt(30); i > 0; i--) {
            keys.add("k" + (thread + threadCount * random.nextInt(owned)));
        }
        return keys;
    }

    /** One {@code putAll} of {@code keys}, all with {@code value}, repeated until it is acknowledged. */
    private void writeAll(IMap<String, String> map, Set<String> keys, String value, long sequence) {
        Map<String, String> batch = new HashMap<>();
        keys.forEach(key -> batch.put(key, value));
        long started = System.nanoTime();
        while (true) {
            try {
                map.putAll(batch);
                break;
            } catch (RuntimeException e) {
                failedBlindWrites.incrementAndGet();
                if (givesUpAfter(e)) {
                    keys.forEach(key -> uncertain.put(key, sequence));
                    return;
                }
            }
        }
        maxCallNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
        long now = System.currentTimeMillis();
        for (String key : keys) {
            acknowledged.put(key, sequence);
            deleted.remove(key);
            acknowledgedAt.put(key, now);
        }
        writes.addAndGet(keys.size());
    }

    private void checkPrevious(String key, String old, String expected, String alsoFine) {
        if (!Objects.equals(old, expected) && !Objects.equals(old, alsoFine)) {
            staleAnswer(key, "put answered " + old, expected);
        }
    }

    /** Counts an answer that did not match the key's last acknowledged value, and keeps the first ten. */
    private void staleAnswer(String key, String answer, String expected) {
        staleReads.incrementAndGet();
        if (staleReadExamples.size() < 10) {
            // Times in UTC, to find the call in the nodes' logs: when it was answered, and when the
            // value it should have seen was acknowledged.
            staleReadKeys.add(key);
            Long acknowledgedMillis = acknowledgedAt.get(key);
            staleReadExamples.add(key + ": " + answer + ", last acknowledged " + expected + " (answered at "
                    + Instant.now() + ", last write acknowledged at "
                    + (acknowledgedMillis == null ? "-" : Instant.ofEpochMilli(acknowledgedMillis)) + ")");
        }
    }

    /** Calls (puts, conditional writes) that answered other than the key's last acknowledged value. */
    long staleReads() {
        return staleReads.get();
    }

    /** The keys of the described ones. */
    Set<String> staleReadKeys() {
        return Set.copyOf(staleReadKeys);
    }

    /** Up to ten of those, described. */
    List<String> staleReadExamples() {
        synchronized (staleReadExamples) {
            return List.copyOf(staleReadExamples);
        }
    }

    /**
     * Rows {@code k0..k<keys - 1>} to put straight into the table before the writers start, counted
     * as acknowledged long ago (sequence 0): a lazily loaded map holds none of them until a call
     * touches the key, so the writers' first puts read them through the loader and their first
     * deletes remove rows the grid never held.
     */
    Map<String, String> preload(int threadCount, int keys) {
        Map<String, String> rows = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            String key = "k" + i;
            rows.put(key, "t" + (i % threadCount) + "-s0");
            acknowledged.put(key, 0L);
        }
        return rows;
    }

    /** Stops the writers and waits for their last calls. */
    void stop() {
        stopping = true;
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    long writes() {
        return writes.get();
    }

    long failedCalls() {
        return failedCalls.get();
    }

    /** Failed {@code set}s, {@code delete}s and {@code putAll}s: calls that read nothing before writing. */
    long failedBlindWrites() {
        return failedBlindWrites.get();
    }

    /** The failed calls by cause, most frequent first. */
    String failureCauses() {
        StringBuilder out = new StringBuilder();
        failureCauses.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> out.append("\n  ").append(e.getValue().sum()).append(" x ").append(e.getKey()));
        return out.toString();
    }

    /**
     * The exception's type, its root cause's type and the root cause's message, with numbers and
     * ids masked, so like failures count together.
     */
    private static String cause(RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        message = message.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>").replaceAll("\\d+", "N");
        String types = e.getClass().getSimpleName() + (root == e ? "" : " <- " + root.getClass().getSimpleName());
        // Hazelcast puts the invocation first and the reason last: keep both ends of a long message.
        return types + ": " + (message.length() > 240 ? message.substring(0, 80) + " ... " + message.substring(message.length() - 160) : message);
    }

    long maxCallMillis() {
        return TimeUnit.NANOSECONDS.toMillis(maxCallNanos.get());
    }

    int keys() {
        return acknowledged.size();
    }

    /** Every key with an acknowledged write. */
    Set<String> keySet() {
        return Set.copyOf(acknowledged.keySet());
    }

    /** What the table (or the grid) says against the ledger. */
    record Check(int lost, int stale, int ahead, List<String> examples, List<String> keys) {
        boolean clean() {
            return lost == 0 && stale == 0 && ahead == 0;
        }
    }

    /**
     * Compares the table with the ledger: a key missing is lost, a key with an older value (or any
     * row, when its last acknowledged write is a delete) is stale, a key with a value that was never
     * acknowledged (and is not an uncertain retry) is ahead.
     */
    Check check(Map<String, String> rows) {
        return check(rows, "the table");
    }

    /** The same for the rows of {@code where} (the table, or the grid), named so in the examples. */
    Check check(Map<String, String> rows, String where) {
        int lost = 0;
        int stale = 0;
        int ahead = 0;
        List<String> examples = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, Long> entry : acknowledged.entrySet()) {
            String key = entry.getKey();
            long expected = entry.getValue();
            Long maybe = uncertain.get(key);
            String row = rows.get(key);
            if (deleted.contains(key)) {
                // Deleted for good, unless a later write's fate is unknown and the row is that write.
                if (row != null && (maybe == null || seq(row) != maybe)) {
                    stale++;
                    example(examples, keys, key, key + ": deleted (s" + expected + "), " + where + " has s" + seq(row));
                }
                continue;
            }
            if (row == null && uncertainDeletes.contains(key)) {
                continue;
            }
            if (row == null) {
                lost++;
                example(examples, keys, key, key + ": acknowledged s" + expected + ", not in " + where);
                continue;
            }
            long actual = seq(row);
            if (actual < expected) {
                stale++;
                example(examples, keys, key, key + ": acknowledged s" + expected + ", " + where + " has s" + actual);
            } else if (actual > expected && (maybe == null || actual != maybe)) {
                ahead++;
                example(examples, keys, key, key + ": acknowledged s" + expected + ", " + where + " has unacknowledged s" + actual);
            }
        }
        return new Check(lost, stale, ahead, examples, keys);
    }

    private static long seq(String value) {
        return Long.parseLong(value.substring(value.indexOf("-s") + 2));
    }

    /** When the key's last acknowledged write was acknowledged, in epoch milliseconds, or null. */
    Long acknowledgedAt(String key) {
        return acknowledgedAt.get(key);
    }

    private static void example(List<String> examples, List<String> keys, String key, String text) {
        if (examples.size() < 10) {
            examples.add(text);
            keys.add(key);
        }
    }
}
