package dev.lattice.client.jcache;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.cache.CacheException;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * A cache's statistics as the JSR-107 {@link CacheStatisticsMXBean} of the application's JVM:
 * cluster-wide, the sum of every member's counters, read when an attribute is read.
 *
 * <p>Cluster-wide because JSR-107 counts what happens to entries, and much of it happens only on
 * members: an entry processor's hit or miss, a read-through load, an expiry. Counts therefore
 * include other applications' operations on the same cache. {@link #clear()} resets this JVM's
 * view only (later reads are differences from the moment of clearing), so one application
 * cannot wipe another's numbers. A member leaving takes its counts with it; a drop below the
 * cleared baseline starts the view from zero again.
 */
final class ClusterCacheStatistics implements CacheStatisticsMXBean {

    static final String EXECUTOR = "lattice.jcache.statistics";

    private static final long TIMEOUT_SECONDS = 10;

    private final HazelcastInstance client;
    private final String cacheNameWithPrefix;
    private volatile CacheStatisticsSnapshot baseline = CacheStatisticsSnapshot.ZERO;

    ClusterCacheStatistics(HazelcastInstance client, String cacheNameWithPrefix) {
        this.client = client;
        this.cacheNameWithPrefix = cacheNameWithPrefix;
    }

    /** The members' counters summed, minus what {@link #clear()} set aside. */
    CacheStatisticsSnapshot current() {
        CacheStatisticsSnapshot total = sumOverMembers();
        CacheStatisticsSnapshot since = baseline;
        if (total.isBelow(since)) {
            baseline = CacheStatisticsSnapshot.ZERO;
            return total;
        }
        return total.minus(since);
    }

    private CacheStatisticsSnapshot sumOverMembers() {
        Map<Member, Future<CacheStatisticsSnapshot>> answers = client.getExecutorService(EXECUTOR)
                .submitToAllMembers(new MemberCacheStatisticsTask(cacheNameWithPrefix));
        CacheStatisticsSnapshot total = CacheStatisticsSnapshot.ZERO;
        for (Map.Entry<Member, Future<CacheStatisticsSnapshot>> answer : answers.entrySet()) {
            total = total.plus(await(answer.getKey(), answer.getValue()));
        }
        return total;
    }

    private CacheStatisticsSnapshot await(Member member, Future<CacheStatisticsSnapshot> answer) {
        try {
            return answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while reading statistics of cache " + cacheNameWithPrefix, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new CacheException("cannot read the statistics of cache " + cacheNameWithPrefix + " from member "
                    + member.getAddress() + " (a grid node carries " + MemberCacheStatisticsTask.class.getName()
                    + "; a plain Hazelcast member needs grid-client on its class path): " + cause, cause);
        }
    }

    @Override
    public void clear() {
        baseline = sumOverMembers();
    }

    @Override
    public long getCacheHits() {
        return current().hits();
    }

    @Override
    public float getCacheHitPercentage() {
        return percentage(current(), true);
    }

    @Override
    public long getCacheMisses() {
        return current().misses();
    }

    @Override
    public float getCacheMissPercentage() {
        return percentage(current(), false);
    }

    @Override
    public long getCacheGets() {
        return current().gets();
    }

    @Override
    public long getCachePuts() {
        return current().puts();
    }

    @Override
    public long getCacheRemovals() {
        return current().removals();
    }

    @Override
    public long getCacheEvictions() {
        return current().evictions();
    }

    @Override
    public float getAverageGetTime() {
        return current().averageGetMicros();
    }

    @Override
    public float getAveragePutTime() {
        return current().averagePutMicros();
    }

    @Override
    public float getAverageRemoveTime() {
        return current().averageRemoveMicros();
    }

    private static float percentage(CacheStatisticsSnapshot stats, boolean hits) {
        long part = hits ? stats.hits() : stats.misses();
        return part == 0 || stats.gets() == 0 ? 0f : part * 100f / stats.gets();
    }
}
