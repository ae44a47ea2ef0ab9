package dev.lattice.bench;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.lattice.client.LatticeClient;
import dev.lattice.client.NearCacheOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A near-cache hit through Lattice's client: the member is only there to fill the near cache once;
 * every measured {@code get} is answered in this JVM. Not final: JMH generates a subclass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NearCacheBenchmark {

    static final String KEY = "key-1";
    static final String VALUE = "v".repeat(100);
    private static final String MAP = "near";

    /** Hazelcast's in-memory format; {@code _FRONT} adds Lattice's front ({@code NearCacheOptions.front}). */
    @Param({"BINARY", "OBJECT", "BINARY_FRONT", "OBJECT_FRONT"})
    public String format;

    private HazelcastInstance member;
    private LatticeClient client;
    private IMap<String, String> map;

    @Setup
    public void start() {
        int port = Ports.free(1).get(0);
        String cluster = "bench-jmh-" + ProcessHandle.current().pid() + "-" + port;
        member = Hazelcast.newHazelcastInstance(StockMember.config(port, cluster));
        client = LatticeClient.builder().addresses("127.0.0.1:" + port).clusterName(cluster)
                .nearCache(MAP, options(format))
                .build();
        map = client.map(MAP);
        map.set(KEY, VALUE);
        if (!VALUE.equals(map.get(KEY)) || client.nearCacheStats(MAP).getOwnedEntryCount() != 1) {
            throw new IllegalStateException("the near cache did not take the entry");
        }
    }

    static NearCacheOptions options(String format) {
        return NearCacheOptions.builder()
                .inMemoryFormat(InMemoryFormat.valueOf(format.replace("_FRONT", "")))
                .front(format.endsWith("_FRONT"))
                .build();
    }

    @Benchmark
    public String latticeNearCacheHit() {
        return map.get(KEY);
    }

    @TearDown
    public void stop() {
        client.close();
        member.shutdown();
    }
}
