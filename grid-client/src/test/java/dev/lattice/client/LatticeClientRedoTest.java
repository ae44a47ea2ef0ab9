package dev.lattice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapLoader;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.TcpProxy;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What happens to a call whose connection drops before its answer arrives.
 *
 * <p>With {@code redo-operation} on, the client sends the call again once it has reconnected, and the
 * member runs it a second time: an entry processor that adds one adds two. That is why Lattice's
 * default is off: a write in flight fails ({@code TargetDisconnectedException}) and the application
 * decides whether to repeat it, while reads, which Hazelcast marks safe to repeat, are resent anyway.
 *
 * <p>The member runs in this JVM, so the processor and the loader count their runs in static fields.
 */
class LatticeClientRedoTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    static final AtomicInteger runs = new AtomicInteger();
    static volatile CountDownLatch release = new CountDownLatch(1);

    /** Adds one to the entry, once the test lets it finish. */
    static final class AddOne implements EntryProcessor<String, Integer, Integer> {
        @Override
        public Integer process(Map.Entry<String, Integer> entry) {
            runs.incrementAndGet();
            awaitRelease();
            int next = (entry.getValue() == null ? 0 : entry.getValue()) + 1;
            entry.setValue(next);
            return next;
        }
    }

    /** Reads "slow" keys only once the test lets it. */
    static final class SlowLoader implements MapLoader<String, String> {
        @Override
        public String load(String key) {
            runs.incrementAndGet();
            awaitRelease();
            return "loaded-" + key;
        }

        @Override
        public Map<String, String> loadAll(Collection<String> keys) {
            Map<String, String> values = new HashMap<>();
            keys.forEach(key -> values.put(key, load(key)));
            return values;
        }

        @Override
        public Iterable<String> loadAllKeys() {
            return Set.of();
        }
    }

    private static void awaitRelease() {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LocalCluster cluster;
    private TcpProxy proxy;

    @BeforeEach
    void start() {
        runs.set(0);
        release = new CountDownLatch(1);
        cluster = LocalCluster.builder().members(1).spareSlots(0).customize(config -> config.getMapConfig("slow")
                .setMapStoreConfig(new MapStoreConfig().setEnabled(true).setImplementation(new SlowLoader()))).start();
        String member = cluster.addresses().get(0);
        proxy = TcpProxy.start("127.0.0.1", Integer.parseInt(member.substring(member.lastIndexOf(':') + 1)));
    }

    @AfterEach
    void stop() {
        release.countDown();
        proxy.close();
        cluster.close();
    }

    /** Connects through the proxy; after a cut the client reconnects to the member's own address. */
    private LatticeClientBuilder client() {
        return LatticeClient.builder().clusterName(cluster.clusterName()).addresses("127.0.0.1:" + proxy.port())
                .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(500));
    }

    @Test
    void byDefault_aWriteWhoseConnectionDrops_failsAndRunsOnce() {
        try (LatticeClient client = client().build()) {
            IMap<String, Integer> counters = client.map("counters");
            CompletableFuture<Integer> call = counters.submitToKey("c", new AddOne()).toCompletableFuture();
            await().atMost(BOUND).until(() -> runs.get() == 1);

            proxy.cut();
            await().atMost(BOUND).until(call::isDone);
            release.countDown();

            assertThat(call).isCompletedExceptionally();
            await().atMost(BOUND).until(() -> counters.get("c") != null);
            assertThat(counters.get("c")).as("the member ran the processor once").isEqualTo(1);
            assertThat(runs.get()).isEqualTo(1);
        }
    }

    @Test
    void withRedo_aWriteWhoseConnectionDrops_runsTwice() {
        try (LatticeClient client = client().redoOperation(true).build()) {
            IMap<String, Integer> counters = client.map("counters");
            CompletableFuture<Integer> call = counters.submitToKey("c", new AddOne()).toCompletableFuture();
            await().atMost(BOUND).until(() -> runs.get() == 1);

            // The first run's answer is lost with the connection; the resend queues behind it.
            proxy.cut();
            release.countDown();

            assertThat(call.join()).as("the caller sees one successful call").isEqualTo(2);
            assertThat(counters.get("c")).as("but the member added one twice").isEqualTo(2);
            assertThat(runs.get()).isEqualTo(2);
        }
    }

    @Test
    void byDefault_aReadWhoseConnectionDrops_isResentAndAnswers() {
        try (LatticeClient client = client().build()) {
            IMap<String, String> slow = client.map("slow");
            CompletableFuture<String> read = slow.getAsync("k").toCompletableFuture();
            await().atMost(BOUND).until(() -> runs.get() == 1);

            proxy.cut();
            release.countDown();

            assertThat(read.join()).isEqualTo("loaded-k");
        }
    }
}
