package dev.lattice.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The near cache's peers, same key and value: a bounded Caffeine cache (the size bound as the near
 * cache's default, 10,000) and a plain {@link ConcurrentHashMap}. Not final: JMH generates a subclass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LocalCacheBenchmark {

    private Cache<String, String> caffeine;
    private ConcurrentHashMap<String, String> map;

    @Setup
    public void fill() {
        caffeine = Caffeine.newBuilder().maximumSize(10_000).build();
        caffeine.put(NearCacheBenchmark.KEY, NearCacheBenchmark.VALUE);
        map = new ConcurrentHashMap<>();
        map.put(NearCacheBenchmark.KEY, NearCacheBenchmark.VALUE);
    }

    @Benchmark
    public String caffeineGetIfPresent() {
        return caffeine.getIfPresent(NearCacheBenchmark.KEY);
    }

    @Benchmark
    public String concurrentHashMapGet() {
        return map.get(NearCacheBenchmark.KEY);
    }
}
